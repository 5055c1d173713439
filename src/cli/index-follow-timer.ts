import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { StoreFollower } from '../ports/store-follower.ts';

/**
 * Twice a second: a face another process ingests or deletes is searchable, or not, in a running
 * server within about this long plus one pass (docs/architecture.md, "Indexes follow the store").
 */
export const INDEX_FOLLOW_MS = 500;

/**
 * Follows the store's change log on a timer, one pass at a time. A pass that leaves changes for
 * later is followed by the next as soon as requests waiting meanwhile have been served, so a large
 * backlog is worked off in bounded steps. Returns a stop function that waits for a pass under way.
 */
export function startIndexFollowTimer(
  indexes: StoreFollower, intervalMs: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = running.then(async () => {
      try {
        for (let more = true; more && !stopped;) {
          const report = await indexes.follow();
          if (report.rebuilt.length > 0) log.info({ galleries: report.rebuilt }, 'indexes rebuilt: they had fallen out of the store change log');
          more = !report.caughtUp;
          if (more) await yieldToEventLoop();
        }
      } catch (err) {
        log.error({ err }, 'following the store change log failed');
      }
    });
  };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
