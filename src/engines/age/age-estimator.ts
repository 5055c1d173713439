import type { Box } from '../../domain/types.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';

/**
 * The seam for the policy's minors rule: how old a detected face looks. An estimate, with an
 * error of several years either way; the policy's minorAgeThreshold absorbs that error.
 */
export interface AgeEstimator {
  readonly modelId: string;
  /** Years, for the face inside `box` (the detector's box, in image pixels). */
  estimate(image: DecodedImage, box: Box): Promise<number>;
  close(): Promise<void>;
}
