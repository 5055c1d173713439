// Allow/Disallow path patterns of RFC 9309 section 2.2.2-2.2.3: a prefix match in which `*`
// stands for any characters and a final `$` anchors the end, compared after percent-encoding
// normalisation.

export interface PathPattern {
  /** The pattern as normalised; its length is the rule's priority (the longest match wins). */
  text: string;
  /** Whether a path matches, read as given (escapes' hex digits upper-cased). */
  matches(path: string): boolean;
}

export function compilePattern(raw: string): PathPattern {
  const text = encodePath(raw);
  const anchored = text.endsWith('$');
  const segments = (anchored ? text.slice(0, -1) : text).split('*');
  return { text, matches: (path) => matchSegments(segments, anchored, path) };
}

/**
 * Matches without a regular expression: the segments between `*` are found leftmost-first,
 * which is exact for `*`-only globs and linear in the path for each segment, so a hostile
 * pattern such as `/*a*a*a*a*b` cannot make the matcher backtrack.
 */
function matchSegments(segments: readonly string[], anchored: boolean, path: string): boolean {
  const first = segments[0]!;
  if (!path.startsWith(first)) return false;
  if (segments.length === 1) return !anchored || path.length === first.length;
  let position = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const at = path.indexOf(segments[i]!, position);
    if (at < 0) return false;
    position = at + segments[i]!.length;
  }
  const last = segments[segments.length - 1]!;
  if (anchored) return path.endsWith(last) && path.length - last.length >= position;
  return path.indexOf(last, position) >= 0;
}

/**
 * Percent-encodes every character outside printable ASCII (as UTF-8) and upper-cases the hex
 * digits of existing escapes, so "/café", "/caf%c3%a9" and "/caf%C3%A9" read alike.
 */
export function encodePath(path: string): string {
  let out = '';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    out += code > 0x7e || code <= 0x20 ? percentEncode(ch) : ch;
  }
  return upperCaseEscapes(out);
}

// Buffer writes a lone surrogate as U+FFFD where encodeURIComponent would throw.
function percentEncode(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

export function upperCaseEscapes(path: string): string {
  return path.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
}

const UNRESERVED_ESCAPE = /%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2D|2E|5F|7E)/gi;

/** Decodes escapes of unreserved characters (RFC 3986 2.3): "/%70rivate" names "/private". */
export function decodeUnreserved(path: string): string {
  return path.replace(UNRESERVED_ESCAPE, (e) => String.fromCharCode(parseInt(e.slice(1), 16)));
}
