// The collectors' public face: declare who we are, then read a site or a URL list.
export { collectSite, type SiteCollectorOptions } from './site-collector.ts';
export { collectUrlList, parseUrlList, type UrlListEntry, type UrlListOptions } from './url-list.ts';
export { identity, checkIdentity, type Identity } from './user-agent.ts';
export { parseScope, inScope, type CrawlScope } from './scope.ts';
export type { PolitenessOptions, SkipEvent, SkipReason } from './polite-client.ts';
export type { HttpFetcher, FetchRequest, FetchResponse } from './http-fetcher.ts';
export { nodeHttpFetcher } from './node-http-fetcher.ts';
