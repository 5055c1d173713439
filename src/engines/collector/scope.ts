import { LikenessError } from '../../errors.ts';

/** Where a targeted-site source may go: one origin (scheme, host, port) and a path prefix. */
export interface CrawlScope {
  /** The page the crawl starts from: the declared URI itself. */
  start: URL;
  origin: string;
  pathPrefix: string;
}

/** Reads a targeted-site source's URI, e.g. https://example.org/team/ ; its path is the prefix. */
export function parseScope(uri: string): CrawlScope {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new LikenessError('LIKENESS_SOURCE_INVALID', `"${uri}" is not a URL; a site source needs one such as https://example.org/team/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LikenessError('LIKENESS_SOURCE_INVALID', `"${uri}" is not an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new LikenessError('LIKENESS_SOURCE_INVALID', `"${uri}" carries credentials; the collector never logs in`);
  }
  url.hash = '';
  return { start: url, origin: url.origin, pathPrefix: url.pathname };
}

// Encoded slashes, backslashes and dots let a server see a path other than the one compared here.
const AMBIGUOUS = /%2f|%5c|%2e/i;

/**
 * Whether a URL (already resolved, so `..` segments are gone) lies inside the scope. The
 * prefix matches whole segments: /team covers /team and /team/x but not /teammates.
 */
export function inScope(scope: CrawlScope, url: URL): boolean {
  if (url.origin !== scope.origin || url.username || url.password) return false;
  const path = url.pathname;
  if (AMBIGUOUS.test(path) || path.includes('\\')) return false;
  const prefix = scope.pathPrefix;
  if (path === prefix) return true;
  return prefix.endsWith('/') ? path.startsWith(prefix) : path.startsWith(`${prefix}/`);
}

/** Resolves a link found on a page; undefined for anything that is not an http(s) URL. */
export function resolveLink(href: string, base: URL): URL | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url;
  } catch {
    return undefined;
  }
}
