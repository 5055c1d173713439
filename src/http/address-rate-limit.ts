import type { FastifyRequest } from 'fastify';
import { LikenessError } from '../errors.ts';
import { systemClock, type Clock } from '../ports/clock.ts';

export interface AddressLimit {
  /** Requests one address may make per window. */
  requests: number;
  windowSeconds: number;
}

/** Following a subject request: enough for a person checking back, far too few to guess ids or codes. */
export const DEFAULT_FOLLOW_LIMIT: AddressLimit = { requests: 30, windowSeconds: 15 * 60 };

// Past this many addresses the oldest windows are forgotten, so a flood of addresses cannot grow memory without bound.
const MAX_ADDRESSES = 10_000;

/**
 * A fixed window per client address for the routes that take no key, where there is no user to
 * count against. It lives in the process: a cluster of servers multiplies it by their number.
 */
export class AddressRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly limit: AddressLimit, private readonly what: string, private readonly clock: Clock = systemClock) {}

  /** Counts one request from the address, or refuses it with the seconds until its window ends. */
  take(address: string): void {
    const now = this.clock.now().getTime();
    const windowMs = this.limit.windowSeconds * 1000;
    let window = this.windows.get(address);
    if (!window || now - window.startedAt >= windowMs) {
      this.windows.delete(address);
      this.forgetOldest();
      window = { startedAt: now, count: 0 };
      this.windows.set(address, window);
    }
    if (window.count >= this.limit.requests) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000));
      throw new LikenessError('LIKENESS_RATE_LIMITED',
        `Too many ${this.what} from your address: at most ${this.limit.requests} in ${this.limit.windowSeconds / 60} minutes. Try again later.`,
        { details: { retryAfterSeconds } });
    }
    window.count += 1;
  }

  /** An onRequest hook: refused before any body is read or any store is asked. */
  hook() {
    return async (request: FastifyRequest): Promise<void> => this.take(request.ip);
  }

  private forgetOldest(): void {
    // Insertion order is start order (a new window is re-inserted), so the first entries are the oldest.
    for (const address of this.windows.keys()) {
      if (this.windows.size < MAX_ADDRESSES) return;
      this.windows.delete(address);
    }
  }
}
