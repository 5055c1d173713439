// Splits a robots.txt into key/value records the way RFC 9309 section 2.2 reads them, with
// the tolerance a hostile or careless file needs (docs/architecture.md, the collector).

export interface RobotsRecord {
  /** Lower-cased: "user-agent", "allow", "disallow", "crawl-delay", "sitemap", or anything else. */
  key: string;
  value: string;
  /** When the line is longer than MAX_LINE_CHARS: the value of its first MAX_LINE_CHARS characters. */
  cutValue?: string;
}

/**
 * Where a long line is cut, as the reference parser cuts it: a URL is rarely longer than about
 * 2,000 characters, so eight times that holds any honest rule. robots.ts uses the cut value
 * only where it refuses more (a Disallow), never where it would allow more (an Allow).
 */
export const MAX_LINE_CHARS = 8 * 2083 - 1;

/**
 * The records of a robots.txt in file order. Comments go, keys are compared without regard
 * to case, and a line without a colon is still read when it is exactly "key value" (a missing
 * colon in "Disallow /" changes nothing about what the site meant).
 */
export function readRobotsRecords(text: string): RobotsRecord[] {
  const records: RobotsRecord[] = [];
  for (const raw of skipLeadingGarbage(text).split(/\r\n|\r|\n/)) {
    const pair = splitKeyValue(withoutComment(raw));
    if (!pair) continue;
    const cut = raw.length > MAX_LINE_CHARS ? splitKeyValue(withoutComment(raw.slice(0, MAX_LINE_CHARS))) : undefined;
    records.push(cut ? { ...pair, cutValue: cut.value } : pair);
  }
  return records;
}

function withoutComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash < 0 ? line : line.slice(0, hash)).trim();
}

function splitKeyValue(line: string): { key: string; value: string } | undefined {
  if (line === '') return undefined;
  const colon = line.indexOf(':');
  if (colon >= 0) {
    const key = line.slice(0, colon).trim().toLowerCase();
    return key === '' ? undefined : { key, value: line.slice(colon + 1).trim() };
  }
  const words = line.split(/[ \t]+/);
  return words.length === 2 ? { key: words[0]!.toLowerCase(), value: words[1]! } : undefined;
}

/**
 * A byte-order mark, whole or broken (decoded as U+FEFF, U+FFFD or stray control bytes), is
 * dropped from the start of the file: were it kept, the first line would be unreadable, and
 * a first "User-agent" line lost makes its rules apply to nobody, i.e. lets everything be
 * fetched.
 */
function skipLeadingGarbage(text: string): string {
  let start = 0;
  while (start < text.length && !/[\t\n\r\x20-\x7e]/.test(text[start]!)) start++;
  return text.slice(start);
}
