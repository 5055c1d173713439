import { isHtmlType, isImageType, robotsHeaderTokens } from './collected-image.ts';
import type { CollectedImage, CollectionSummary } from '../../ports/collected-image.ts';
import { extractPageLinks } from './html-links.ts';
import { PoliteClient, type PolitenessOptions } from './polite-client.ts';
import { inScope, parseScope, resolveLink, type CrawlScope } from './scope.ts';

export interface SiteCollectorOptions extends PolitenessOptions {
  /** HTML pages fetched at most. */
  pageBudget: number;
  maxPageBytes?: number;
  maxImageBytes?: number;
}

const NO_IMAGES = ['noindex', 'noimageindex', 'none'];
const NO_LINKS = ['nofollow', 'none'];

/**
 * Crawls a targeted-site source breadth-first from its declared URI and yields the images of
 * its pages. Nothing outside the scope is requested: not links, not images, not redirects.
 * Each page's images are fetched before the next page, so a budget cut leaves whole pages.
 * The generator's return value is the summary.
 */
export async function* collectSite(scope: CrawlScope | string, options: SiteCollectorOptions): AsyncGenerator<CollectedImage, CollectionSummary> {
  const s = typeof scope === 'string' ? parseScope(scope) : scope;
  const client = new PoliteClient(options);
  const token = options.identity.robotsToken;
  const within = (url: URL): boolean => inScope(s, url);
  const queued = new Set<string>([s.start.href]);
  const seenImages = new Set<string>();
  const queue: URL[] = [s.start];
  let pages = 0;
  let images = 0;
  let stoppedBy: CollectionSummary['stoppedBy'] = 'done';

  while (queue.length > 0) {
    if (client.budgetSpent) { stoppedBy = 'byte-budget'; break; }
    if (pages >= options.pageBudget) { stoppedBy = 'page-budget'; break; }
    const pageUrl = queue.shift()!;
    const requestsBefore = client.stats.requests;
    const got = await client.get(pageUrl, options.maxPageBytes ?? 2 * 1024 * 1024, 'text/html,application/xhtml+xml', within);
    // A page counts against the budget once it cost a request, whatever came back.
    if (client.stats.requests > requestsBefore) pages++;
    if (!got) continue;
    const type = got.response.header('content-type');
    if (!isHtmlType(type)) {
      client.skip(got.url, 'not-html', type);
      continue;
    }
    const page = extractPageLinks(new TextDecoder().decode(got.response.body), token);
    if (page.hasPasswordField) {
      client.skip(got.url, 'password-page');
      continue;
    }
    const directives = [...page.robots, ...robotsHeaderTokens(got.response.header('x-robots-tag'), token)];
    const base = (page.base && resolveLink(page.base, got.url)) || got.url;

    if (!directives.some((d) => NO_LINKS.includes(d))) {
      for (const href of page.links) {
        const link = resolveLink(href, base);
        if (!link || queued.has(link.href)) continue;
        queued.add(link.href);
        if (within(link)) queue.push(link);
        else client.skip(link, 'out-of-scope');
      }
    }
    if (directives.some((d) => NO_IMAGES.includes(d))) {
      if (page.images.length > 0) client.skip(got.url, 'noindex', `${page.images.length} images left alone`);
      continue;
    }
    for (const src of page.images) {
      const imageUrl = resolveLink(src, base);
      if (!imageUrl || seenImages.has(imageUrl.href)) continue;
      seenImages.add(imageUrl.href);
      if (!within(imageUrl)) { client.skip(imageUrl, 'out-of-scope'); continue; }
      const image = await client.get(imageUrl, options.maxImageBytes ?? 25 * 1024 * 1024, 'image/*', within);
      if (!image) continue;
      const contentType = image.response.header('content-type');
      if (!isImageType(contentType)) { client.skip(image.url, 'not-image', contentType); continue; }
      if (robotsHeaderTokens(image.response.header('x-robots-tag'), token).some((d) => NO_IMAGES.includes(d))) {
        client.skip(image.url, 'noindex');
        continue;
      }
      images++;
      yield { imageUrl: image.url.href, pageUrl: got.url.href, bytes: image.response.body, contentType };
    }
  }
  if (stoppedBy === 'done' && client.budgetSpent) stoppedBy = 'byte-budget';
  const { requests, bytes, skipped } = client.stats;
  return { pages, images, requests, bytes, skipped: { ...skipped }, stoppedBy };
}
