import type { PacingClock } from './host-pacer.ts';

/**
 * A pacing clock for tests: time stands still but for the pacer's own waits, which move it on at
 * once. Gaps between requests then measure the pacing alone, whatever the machine's load.
 */
export function fakePacingClock(): PacingClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => { clock.t += ms; },
  };
  return clock;
}
