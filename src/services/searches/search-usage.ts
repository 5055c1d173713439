import type { SearchKind } from '../../domain/accounts.ts';
import type { SearchLogRepository } from '../../ports/accounts-store.ts';
import type { SearchCounts, VolumeLimits } from '../policy/search-rules.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

type Who = { userId: string } | { clientId: string };

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Counts a user's or client's earlier searches (or comparisons, or detections), only over the windows that have a limit. */
export async function countSearches(log: SearchLogRepository, who: Who, limits: VolumeLimits, now: Date, kind: SearchKind = 'search'): Promise<SearchCounts> {
  const since = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const [lastMinute, lastHour, today] = await Promise.all([
    limits.perMinute === undefined ? 0 : log.countSince(who, since(MINUTE), kind),
    limits.perHour === undefined ? 0 : log.countSince(who, since(HOUR), kind),
    limits.perDay === undefined ? 0 : log.countSince(who, startOfUtcDay(now).toISOString(), kind),
  ]);
  return { lastMinute, lastHour, today };
}

/**
 * Seconds until the window that refused a search has room again: when its oldest counted search
 * leaves it, or, for `extra` more admitted together, when that many more have left.
 */
export async function retryAfterSeconds(
  log: SearchLogRepository, who: Who, limits: VolumeLimits, counts: SearchCounts, now: Date, kind: SearchKind = 'search', extra = 0,
): Promise<number> {
  const windows: Array<[number | undefined, number, number]> = [[limits.perMinute, counts.lastMinute, MINUTE], [limits.perHour, counts.lastHour, HOUR]];
  let wait = 0;
  for (const [limit, count, ms] of windows) {
    if (limit === undefined || count + extra < limit) continue;
    const nth = limit - extra;
    const oldest = nth < 1 ? undefined : await log.nthLatestAt(who, nth, new Date(now.getTime() - ms).toISOString(), kind);
    wait = Math.max(wait, oldest ? Date.parse(oldest) + ms - now.getTime() : ms);
  }
  if (limits.perDay !== undefined && counts.today + extra >= limits.perDay) {
    wait = Math.max(wait, startOfUtcDay(now).getTime() + 24 * HOUR - now.getTime());
  }
  return Math.max(1, Math.ceil(wait / 1000));
}
