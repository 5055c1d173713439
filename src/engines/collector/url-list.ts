import { LikenessError } from '../../errors.ts';
import { isImageType, robotsHeaderTokens } from './collected-image.ts';
import type { CollectedImage, CollectionSummary } from '../../ports/collected-image.ts';
import { PoliteClient, type PolitenessOptions } from './polite-client.ts';

export interface UrlListEntry {
  imageUrl: URL;
  pageUrl: URL | null;
  /** 1-based line in the list, for messages. */
  line: number;
}

export interface UrlListOptions extends PolitenessOptions {
  maxImageBytes?: number;
  /** Images yielded at most. */
  imageBudget?: number;
}

const HEADER = /^\s*"?(image[_ -]?url|image|url)"?\s*[,;\t ]/i;

/**
 * Reads a url-list source: per line an image URL and, optionally, the URL of the page that
 * shows it, separated by whitespace or a comma (CSV, with an optional header row and quoted
 * fields). Blank lines and lines starting with # are skipped. A bad line refuses the list,
 * naming the line: a silently dropped line would be an image nobody knows was left out.
 */
export function parseUrlList(text: string): UrlListEntry[] {
  const entries: UrlListEntry[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (i === 0 && HEADER.test(line))) return;
    const fields = splitFields(line);
    if (fields.length > 2) fail(i + 1, `has ${fields.length} fields; expected an image URL and optionally a page URL`);
    const imageUrl = httpUrl(fields[0]!, i + 1, 'image URL');
    const pageUrl = fields[1] ? httpUrl(fields[1], i + 1, 'page URL') : null;
    entries.push({ imageUrl, pageUrl, line: i + 1 });
  });
  return entries;
}

function splitFields(line: string): string[] {
  if (!line.includes(',') && !line.includes('"')) return line.split(/\s+/);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field.trim()); field = ''; } else field += ch;
  }
  fields.push(field.trim());
  return fields.filter((f, i) => f !== '' || i === 0);
}

function httpUrl(text: string, line: number, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(line, `${what} "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(line, `${what} "${text}" is not an http(s) URL`);
  if (url.username || url.password) fail(line, `${what} "${text}" carries credentials; the collector never logs in`);
  url.hash = '';
  return url;
}

function fail(line: number, problem: string): never {
  throw new LikenessError('LIKENESS_BAD_INPUT', `URL list line ${line} ${problem}`);
}

/**
 * Fetches the images of a url-list source with the same manners as the site collector (user
 * agent, per-host pace, robots.txt, no login, byte budget). Only the listed URLs are fetched;
 * a redirect is followed only within the listed URL's origin. Pages are never fetched.
 */
export async function* collectUrlList(entries: readonly UrlListEntry[], options: UrlListOptions): AsyncGenerator<CollectedImage, CollectionSummary> {
  const client = new PoliteClient(options);
  const token = options.identity.robotsToken;
  const seen = new Set<string>();
  let images = 0;
  let stoppedBy: CollectionSummary['stoppedBy'] = 'done';
  for (const entry of entries) {
    if (client.budgetSpent) { stoppedBy = 'byte-budget'; break; }
    if (options.imageBudget !== undefined && images >= options.imageBudget) { stoppedBy = 'image-budget'; break; }
    if (seen.has(entry.imageUrl.href)) continue;
    seen.add(entry.imageUrl.href);
    const origin = entry.imageUrl.origin;
    const got = await client.get(entry.imageUrl, options.maxImageBytes ?? 25 * 1024 * 1024, 'image/*', (u) => u.origin === origin);
    if (!got) continue;
    const contentType = got.response.header('content-type');
    if (!isImageType(contentType)) { client.skip(got.url, 'not-image', contentType); continue; }
    if (robotsHeaderTokens(got.response.header('x-robots-tag'), token).some((d) => ['noindex', 'noimageindex', 'none'].includes(d))) {
      client.skip(got.url, 'noindex');
      continue;
    }
    images++;
    yield { imageUrl: got.url.href, pageUrl: entry.pageUrl?.href ?? null, bytes: got.response.body, contentType };
  }
  if (stoppedBy === 'done' && client.budgetSpent) stoppedBy = 'byte-budget';
  const { requests, bytes, skipped } = client.stats;
  return { pages: 0, images, requests, bytes, skipped: { ...skipped }, stoppedBy };
}
