import type { RetentionService } from '../services/retention/retention-service.ts';

/** Hourly by default: a face outlives its expiry by at most this long while the server runs. */
export const RETENTION_SWEEP_MS = 3_600_000;

/**
 * Sweeps expired faces on start and then every interval, one sweep at a time; returns a stop
 * function that waits for a sweep under way.
 */
export function startRetentionTimer(
  retention: RetentionService, actor: string, intervalMs: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = running.then(async () => {
      try {
        const result = await retention.sweep(actor);
        if (result.erased > 0) log.info({ erased: result.erased }, 'retention sweep erased expired faces');
        if (result.sessionsDeleted > 0) log.info({ sessionsDeleted: result.sessionsDeleted }, 'retention sweep deleted ended sessions');
      } catch (err) {
        log.error({ err }, 'retention sweep failed');
      }
    });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
