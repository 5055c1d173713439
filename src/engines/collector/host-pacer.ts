/** Time as the pacer sees it; tests may replace it, the collector uses the real one. */
export interface PacingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacingClock: PacingClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Keeps at least an interval between the starts of two requests to one host, however many
 * callers ask at once: callers for a host take turns, and each turn measures from the moment
 * the previous one actually went (timers fire late, and sometimes a hair early).
 */
export class HostPacer {
  private readonly turns = new Map<string, Promise<void>>();
  private readonly lastStart = new Map<string, number>();

  constructor(private readonly clock: PacingClock = realPacingClock) {}

  wait(host: string, intervalMs: number): Promise<void> {
    const turn = (this.turns.get(host) ?? Promise.resolve()).then(async () => {
      const last = this.lastStart.get(host);
      if (last !== undefined) {
        for (let left = last + intervalMs - this.clock.now(); left > 0; left = last + intervalMs - this.clock.now()) {
          await this.clock.sleep(Math.ceil(left));
        }
      }
      this.lastStart.set(host, this.clock.now());
    });
    this.turns.set(host, turn);
    return turn;
  }
}
