import type { FetchRequest, HttpFetcher } from './http-fetcher.ts';
import { nodeHttpFetcher } from './node-http-fetcher.ts';

/**
 * The real fetcher, restricted to loopback and recording each call's URL and start time (on the
 * clock given, e.g. the fake pacing clock of a test): collector tests must never reach past this
 * machine, even when a fixture page links out.
 */
export function loopbackFetcher(now: () => number = () => performance.now()): HttpFetcher & { calls: Array<{ url: string; at: number }> } {
  const calls: Array<{ url: string; at: number }> = [];
  return {
    calls,
    async fetch(request: FetchRequest) {
      calls.push({ url: request.url.href, at: now() });
      if (request.url.hostname !== '127.0.0.1') throw new Error(`test fetcher refuses ${request.url.href}: loopback only`);
      return nodeHttpFetcher.fetch(request);
    },
  };
}
