// What the collector needs from a page, read with a tag scanner rather than a DOM: links to
// follow, images with their best source, the page's base URL, robots meta directives, and
// whether the page asks for a password.

export interface PageLinks {
  /** href of <a> and <area>, except rel="nofollow", unresolved. */
  links: string[];
  /** Per <img> (or <picture> <source>): the largest srcset candidate, else src; unresolved. */
  images: string[];
  base: string | undefined;
  /** Lower-case tokens of <meta name="robots"> (noindex, nofollow, noimageindex, none, ...). */
  robots: string[];
  hasPasswordField: boolean;
}

const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
// Text that is not markup: links inside it are not links.
const NOT_MARKUP = /<!--[\s\S]*?-->|<(script|style|noscript|textarea|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

export function extractPageLinks(html: string, robotsToken: string): PageLinks {
  const out: PageLinks = { links: [], images: [], base: undefined, robots: [], hasPasswordField: false };
  const text = html.replace(NOT_MARKUP, ' ');
  for (const match of text.matchAll(TAG)) {
    const tag = match[1]!.toLowerCase();
    const attrs = attributes(match[2] ?? '');
    switch (tag) {
      case 'a':
      case 'area': {
        const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
        const href = attrs.get('href');
        if (href && !rel.includes('nofollow')) out.links.push(href);
        break;
      }
      case 'img': {
        const best = largestCandidate(attrs.get('srcset')) ?? attrs.get('src');
        if (best) out.images.push(best);
        break;
      }
      case 'source': {
        const best = largestCandidate(attrs.get('srcset'));
        if (best) out.images.push(best);
        break;
      }
      case 'base':
        if (out.base === undefined && attrs.get('href')) out.base = attrs.get('href');
        break;
      case 'meta': {
        const name = (attrs.get('name') ?? '').toLowerCase();
        if (name === 'robots' || name === robotsToken.toLowerCase()) {
          out.robots.push(...(attrs.get('content') ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean));
        }
        break;
      }
      case 'input':
        if ((attrs.get('type') ?? '').toLowerCase() === 'password') out.hasPasswordField = true;
        break;
    }
  }
  return out;
}

function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!map.has(name)) map.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return map;
}

/** The candidate of a srcset with the largest width (w) or density (x); bare URLs count as 1x. */
export function largestCandidate(srcset: string | undefined): string | undefined {
  if (!srcset) return undefined;
  let best: { url: string; size: number; width: boolean } | undefined;
  for (const { url, descriptor } of srcsetCandidates(srcset)) {
    const m = /^(\d+(?:\.\d+)?)([wx])$/i.exec(descriptor || '1x');
    if (!m) continue;
    const size = Number(m[1]);
    const width = m[2]!.toLowerCase() === 'w';
    if (!best || (width && !best.width) || (width === best.width && size > best.size)) best = { url, size, width };
  }
  return best?.url;
}

// The HTML standard's srcset tokenising: a URL runs to whitespace (a trailing comma ends the
// candidate), then a descriptor runs to the next comma. URLs may themselves contain commas.
function* srcsetCandidates(srcset: string): Generator<{ url: string; descriptor: string }> {
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i]!)) i++;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset[i]!)) i++;
    let url = srcset.slice(start, i);
    if (!url) break;
    if (url.endsWith(',')) {
      yield { url: url.replace(/,+$/, ''), descriptor: '' };
      continue;
    }
    const from = i;
    while (i < srcset.length && srcset[i] !== ',') i++;
    url = url.trim();
    yield { url, descriptor: srcset.slice(from, i).trim() };
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
