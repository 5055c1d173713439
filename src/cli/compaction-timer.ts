/** Hourly by default: pending removals outlive the compaction policy's age by at most this long while the server runs. */
export const COMPACTION_CHECK_MS = 3_600_000;

/**
 * Applies the compaction policy on a timer, so that its age bound holds in a server where no
 * further erasure comes to apply it; one pass at a time; returns a stop function that waits for a
 * pass under way.
 */
export function startCompactionTimer(
  compactDue: () => Promise<string[]>, intervalMs: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const check = () => {
    running = running.then(async () => {
      try {
        const compacted = await compactDue();
        if (compacted.length > 0) log.info({ galleries: compacted }, 'compaction policy: erased faces physically removed');
      } catch (err) {
        log.error({ err }, 'compaction failed');
      }
    });
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
