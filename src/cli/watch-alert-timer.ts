import type { WatchAlerts } from '../services/cases/watch-alerts.ts';

/** How often the server looks for watch alerts to send: an alert waits at most this long after its hit. */
export const WATCH_ALERT_MS = 5_000;

/**
 * Drains the watch alerts' outbox on start and then every interval, one drain at a time; returns
 * a stop function that waits for a drain under way.
 */
export function startWatchAlertTimer(
  alerts: WatchAlerts, intervalMs: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const drain = () => {
    if (busy) return;
    busy = true;
    running = running.then(async () => {
      try {
        const outcome = await alerts.drain();
        if (outcome.delivered + outcome.retrying + outcome.failed > 0) log.info(outcome, 'watch alerts sent');
      } catch (err) {
        log.error({ err }, 'sending watch alerts failed');
      } finally {
        busy = false;
      }
    });
  };
  drain();
  const timer = setInterval(drain, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
