import type { Box } from '../domain/types.ts';
import type { DecodedImage } from './face-engine.ts';

export interface LivenessReading {
  /** Probability that the face is a live person in front of the camera, 0..1. */
  live: number;
  /** The model's own class probabilities, kept for the record of the verification. */
  classes: number[];
}

/** Tells a live face from a presented one (a print, a screen). */
export interface LivenessDetector {
  readonly modelId: string;
  check(image: DecodedImage, box: Box): Promise<LivenessReading>;
  close(): Promise<void>;
}
