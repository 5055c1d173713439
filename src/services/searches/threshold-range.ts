import { LikenessError } from '../../errors.ts';

/**
 * A search or comparison may ask for a stricter threshold than the calibrated one, never a
 * looser one: below it, the false-match rate the results are shown with was never measured to
 * hold, and a threshold of -1 would return every face of a gallery as a "match".
 */
export function checkThreshold(requested: number | undefined, calibrated: number): void {
  if (requested === undefined) return;
  if (requested >= calibrated && requested <= 1) return;
  throw new LikenessError('LIKENESS_THRESHOLD_OUT_OF_RANGE',
    `threshold must lie from the calibrated ${calibrated} up to 1 (a search may be stricter, never looser); got ${requested}`,
    { details: { minimum: calibrated, maximum: 1 } });
}
