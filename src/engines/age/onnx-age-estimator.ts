import type ort from 'onnxruntime-node';
import type { Box } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { OnnxModelFile } from '../face/model-config.ts';
import { loadVerifiedSession, runSessionFilled } from '../face/onnx-session.ts';
import { ageInput, FR_AGE_CROP } from './age-crop.ts';
import type { AgeEstimator } from './age-estimator.ts';
import { SSR_NET_AGE, ssrNetRegression, type SsrNetStage } from './ssr-net.ts';

/** The name decisions record for this model file, known without loading it. */
export function ageModelId(model: OnnxModelFile): string {
  return `ssr-net/${model.sha256.slice(0, 12)}`;
}

/**
 * SSR-Net age estimation over ONNX Runtime: input `input` [1,3,64,64], three stages of outputs.
 *
 * Measured on LFW (deep-funneled): 150 random adults came out 23 to 99 (median 40), but the
 * twelve photos of three actors then aged about 12 to 14 came out 32 to 49. On photos like
 * these the model does not tell minors from adults, so the minors rule is only as strong as
 * this estimate; a better estimator plugs in behind AgeEstimator.
 */
export class OnnxAgeEstimator implements AgeEstimator {
  readonly modelId: string;

  private constructor(private readonly session: ort.InferenceSession, modelId: string) {
    this.modelId = modelId;
  }

  /** Refuses a model file whose SHA-256 is not the pinned one. */
  static async open(options: { model?: OnnxModelFile; threads?: number } = {}): Promise<OnnxAgeEstimator> {
    // The installed pack's file is looked up only here: the face workers, which are always handed
    // their model, must not load the configuration module (its index settings load usearch).
    const model = options.model ?? (await import('./age-model-file.ts')).defaultAgeModel();
    const session = await loadVerifiedSession(model, { threads: options.threads ?? 1 });
    return new OnnxAgeEstimator(session, ageModelId(model));
  }

  async estimate(image: DecodedImage, box: Box): Promise<number> {
    if (!(box.width > 0 && box.height > 0)) throw new LikenessError('LIKENESS_BAD_INPUT', 'A face box needs a positive width and height');
    const size = FR_AGE_CROP.size;
    const out = await runSessionFilled(this.session, [1, 3, size, size], (input) => ageInput(image, box, FR_AGE_CROP, input));
    const stage = (k: number): SsrNetStage => ({
      probabilities: output(out, `prob_stage_${k}`),
      offsets: output(out, `index_offset_stage${k}`),
      delta: output(out, `stage${k}_delta_k`)[0] ?? 0,
    });
    return ssrNetRegression([stage(1), stage(2), stage(3)], SSR_NET_AGE);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function output(outputs: Record<string, Float32Array>, name: string): Float32Array {
  const value = outputs[name];
  if (!value) throw new LikenessError('LIKENESS_MODEL_INTEGRITY', `The age model has no output named ${name}`);
  return value;
}
