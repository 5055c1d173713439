import type { Box } from '../../domain/types.ts';
import { decodeImage, DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../face/decode.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { AgeEstimator } from './age-estimator.ts';

/**
 * Age estimates for faces of encoded images: decodes each image once however many faces it
 * has (the face engine's workers keep their pixels to themselves), then asks the estimator.
 */
export class ImageFaceAges {
  private readonly decoded = new WeakMap<Uint8Array, Promise<DecodedImage>>();

  constructor(private readonly estimator: AgeEstimator, private readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {}

  get modelId(): string {
    return this.estimator.modelId;
  }

  async ageOf(bytes: Uint8Array, box: Box): Promise<number> {
    let image = this.decoded.get(bytes);
    if (!image) {
      image = decodeImage(bytes, this.limits);
      this.decoded.set(bytes, image);
    }
    return this.estimator.estimate(await image, box);
  }
}
