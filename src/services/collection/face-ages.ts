import type { Box } from '../../domain/types.ts';

/** How old the face in `box` of an image looks, in years; an estimate with an error of years. */
export interface FaceAges {
  readonly modelId: string;
  ageOf(bytes: Uint8Array, box: Box): Promise<number>;
}
