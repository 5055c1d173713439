import type { Box } from '../../domain/types.ts';
import { decodeImage, DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../face/decode.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { AgeEstimator } from './age-estimator.ts';

/**
 * Age estimates for faces of encoded images, for when the face engine gave none (an engine
 * without the age model): decodes each image once however many faces it has, then asks the
 * estimator, which is opened on first use, so a process whose engine estimates ages never
 * loads it here.
 */
export class ImageFaceAges {
  private readonly decoded = new WeakMap<Uint8Array, Promise<DecodedImage>>();
  private estimator: Promise<AgeEstimator> | undefined;

  constructor(
    private readonly open: () => Promise<AgeEstimator>,
    /** The model's name, as the estimator will report it. */
    readonly modelId: string,
    private readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  ) {}

  async ageOf(bytes: Uint8Array, box: Box): Promise<number> {
    let image = this.decoded.get(bytes);
    if (!image) {
      image = decodeImage(bytes, this.limits);
      this.decoded.set(bytes, image);
    }
    const estimator = await (this.estimator ??= this.open());
    return estimator.estimate(await image, box);
  }
}
