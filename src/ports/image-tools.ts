import type { Box } from '../domain/types.ts';

/** Pixel work the core asks of an image library: a near-duplicate fingerprint, a face crop. */
export interface ImageTools {
  /** A perceptual hash that near-identical images share (hex). */
  perceptualHash(bytes: Uint8Array): Promise<string>;
  /** A square JPEG of the face in `box`, cut on request and never stored. */
  cropFace(bytes: Uint8Array, box: Box): Promise<Buffer>;
}
