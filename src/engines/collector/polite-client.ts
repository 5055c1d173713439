import { HostPacer, realPacingClock, type PacingClock } from './host-pacer.ts';
import type { FetchResponse, HttpFetcher } from './http-fetcher.ts';
import { looksLikeLogin } from './login.ts';
import { nodeHttpFetcher } from './node-http-fetcher.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobotsBody, type RobotsRules } from './robots.ts';
import type { Identity } from './user-agent.ts';

export type SkipReason =
  | 'out-of-scope' | 'robots' | 'login' | 'credentials' | 'unauthorised' | 'blocked' | 'http-status'
  | 'redirect-out-of-scope' | 'too-many-redirects' | 'not-html' | 'not-image' | 'too-large'
  | 'noindex' | 'password-page' | 'network-error' | 'budget';

export interface SkipEvent {
  url: string;
  reason: SkipReason;
  detail?: string;
}

export interface PolitenessOptions {
  identity: Identity;
  /** Least time between the starts of two requests to one host; robots.txt Crawl-delay may raise it. */
  minIntervalMs: number;
  /** Body bytes received in all, robots.txt included; the crawl stops when they are spent. */
  byteBudget: number;
  timeoutMs?: number;
  fetcher?: HttpFetcher;
  clock?: PacingClock;
  onSkip?: (event: SkipEvent) => void;
}

export interface CollectorStats {
  requests: number;
  bytes: number;
  skipped: Partial<Record<SkipReason, number>>;
  budgetSpent: boolean;
}

const MAX_REDIRECTS = 5;
// RFC 9309: a crawler must parse at least 500 KiB of robots.txt.
const MAX_ROBOTS_BYTES = 512 * 1024;

/**
 * Every request of the collectors goes through here, so every one of them is identified,
 * paced per host, checked against robots.txt and the login guard, and counted against the
 * byte budget. A 401 is never answered with credentials; a 403 or 429 ends all requests to
 * that origin (a block is not something to work around).
 */
export class PoliteClient {
  readonly stats: CollectorStats = { requests: 0, bytes: 0, skipped: {}, budgetSpent: false };
  private readonly fetcher: HttpFetcher;
  private readonly pacer: HostPacer;
  private readonly robots = new Map<string, Promise<RobotsRules>>();
  private readonly blocked = new Set<string>();

  constructor(private readonly options: PolitenessOptions) {
    this.fetcher = options.fetcher ?? nodeHttpFetcher;
    this.pacer = new HostPacer(options.clock ?? realPacingClock);
  }

  skip(url: URL | string, reason: SkipReason, detail?: string): undefined {
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
    this.options.onSkip?.({ url: String(url), reason, ...(detail ? { detail } : {}) });
    return undefined;
  }

  /**
   * GETs a URL after every check, following redirects only to URLs `mayFollow` accepts.
   * Returns the final URL and a 2xx response, or undefined (the reason went to onSkip).
   */
  async get(start: URL, maxBytes: number, accept: string, mayFollow: (url: URL) => boolean): Promise<{ url: URL; response: FetchResponse } | undefined> {
    let url = start;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (hop > 0 && !mayFollow(url)) return this.skip(url, 'redirect-out-of-scope', `redirected from ${start.href}`);
      const refusal = await this.refusal(url);
      if (refusal) return this.skip(url, refusal);
      const response = await this.request(url, maxBytes, accept);
      if (!response) return undefined;
      const location = response.status >= 300 && response.status < 400 ? response.header('location') : undefined;
      if (location !== undefined) {
        try {
          url = new URL(location, url);
        } catch {
          return this.skip(url, 'http-status', `unusable redirect to "${location}"`);
        }
        url.hash = '';
        continue;
      }
      if (response.status === 401) return this.skip(url, 'unauthorised');
      if (response.status === 403 || response.status === 429) {
        this.blocked.add(url.origin);
        return this.skip(url, 'blocked', `HTTP ${response.status}: no further requests to ${url.origin}`);
      }
      if (response.status < 200 || response.status > 299) return this.skip(url, 'http-status', `HTTP ${response.status}`);
      if (response.truncated) return this.skip(url, this.stats.budgetSpent ? 'budget' : 'too-large');
      return { url, response };
    }
    return this.skip(start, 'too-many-redirects');
  }

  get budgetSpent(): boolean {
    return this.stats.budgetSpent;
  }

  private async refusal(url: URL): Promise<SkipReason | undefined> {
    if (url.username || url.password) return 'credentials';
    if (looksLikeLogin(url)) return 'login';
    if (this.blocked.has(url.origin)) return 'blocked';
    if (this.stats.budgetSpent) return 'budget';
    const rules = await this.rulesFor(url.origin);
    if (!rules.isAllowed(url.pathname + url.search)) return 'robots';
    // Fetching robots.txt may itself have spent the budget.
    return this.stats.budgetSpent ? 'budget' : undefined;
  }

  private async request(url: URL, maxBytes: number, accept: string): Promise<FetchResponse | undefined> {
    const rules = await this.rulesFor(url.origin);
    await this.pacer.wait(url.host, this.intervalMs(rules));
    return this.send(url, maxBytes, accept);
  }

  private async send(url: URL, maxBytes: number, accept: string): Promise<FetchResponse | undefined> {
    const remaining = this.options.byteBudget - this.stats.bytes;
    if (remaining <= 0) {
      this.stats.budgetSpent = true;
      return this.skip(url, 'budget');
    }
    this.stats.requests++;
    let response: FetchResponse;
    try {
      response = await this.fetcher.fetch({
        url,
        headers: { 'user-agent': this.options.identity.userAgent, accept },
        maxBytes: Math.min(maxBytes, remaining),
        timeoutMs: this.options.timeoutMs ?? 20_000,
      });
    } catch (error) {
      return this.skip(url, 'network-error', error instanceof Error ? error.message : String(error));
    }
    this.stats.bytes += response.body.byteLength;
    if (response.truncated && maxBytes > remaining) this.stats.budgetSpent = true;
    return response;
  }

  private intervalMs(rules: RobotsRules): number {
    return Math.max(this.options.minIntervalMs, (rules.crawlDelaySeconds ?? 0) * 1000);
  }

  private rulesFor(origin: string): Promise<RobotsRules> {
    let rules = this.robots.get(origin);
    if (!rules) {
      rules = this.fetchRobots(origin);
      this.robots.set(origin, rules);
    }
    return rules;
  }

  // RFC 9309 2.3.1: unreachable (5xx, network) means disallow all; 4xx means allow all. A 401
  // or 403 on robots.txt itself is read as a refusal, which is what it says to a crawler.
  private async fetchRobots(origin: string): Promise<RobotsRules> {
    let url = new URL('/robots.txt', origin);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      await this.pacer.wait(url.host, this.options.minIntervalMs);
      const response = await this.send(url, MAX_ROBOTS_BYTES, 'text/plain');
      if (!response) return DISALLOW_ALL;
      const location = response.status >= 300 && response.status < 400 ? response.header('location') : undefined;
      if (location !== undefined) {
        const next = safeUrl(location, url);
        if (!next || next.origin !== origin) return DISALLOW_ALL;
        url = next;
        continue;
      }
      if (response.status === 401 || response.status === 403) return DISALLOW_ALL;
      if (response.status >= 400 && response.status < 500 && response.status !== 429) return ALLOW_ALL;
      if (response.status < 200 || response.status > 299) return DISALLOW_ALL;
      return parseRobotsBody(response.body, this.options.identity.robotsToken);
    }
    return DISALLOW_ALL;
  }
}

function safeUrl(href: string, base: URL): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}
