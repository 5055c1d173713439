import type { FalseMatchRate } from './false-match-rate.ts';

/** The calibrated floor: no default threshold is lower than the score at this false-match rate. */
export const FLOOR_FMR = 1e-4;

/**
 * docs/architecture.md, "Honest figures at gallery scale": the default threshold of a search over
 * `searchedFaces` faces is the lowest score at which at most `maxExpected` strangers are expected
 * (searchedFaces x rate), and never below the score at FLOOR_FMR or the configured threshold.
 */
export function galleryThreshold(rates: FalseMatchRate, searchedFaces: number, maxExpected: number, configured = -1): number {
  const floor = Math.max(configured, rates.scoreAt(FLOOR_FMR));
  if (searchedFaces <= 0) return floor;
  return Math.max(floor, rates.scoreAt(maxExpected / searchedFaces));
}
