/**
 * Images per second measured over the recent past, and the time left at that rate. A window,
 * not the whole run: model loading and the first slow images stop weighing on the estimate
 * once the run has settled, and a change of pace (another job on the machine) shows within it.
 */
export class ProgressRate {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly now: () => number, private readonly windowMs = 30_000) {}

  /** Records that `done` of `total` are finished; undefined figures until time has passed. */
  update(done: number, total: number): { perSecond: number | undefined; secondsLeft: number | undefined } {
    const at = this.now();
    this.samples.push({ at, done });
    // Keep one sample at or before the window's start, so the window is always fully measured.
    while (this.samples.length > 2 && (this.samples[1] as { at: number }).at <= at - this.windowMs) this.samples.shift();
    const first = this.samples[0] as { at: number; done: number };
    const seconds = (at - first.at) / 1000;
    if (seconds <= 0 || done <= first.done) return { perSecond: undefined, secondsLeft: undefined };
    const perSecond = (done - first.done) / seconds;
    return { perSecond, secondsLeft: Math.max(0, total - done) / perSecond };
  }
}

/** 3725 -> "1h 02m", 190 -> "3m 10s", 12.4 -> "12s"; "-" when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
