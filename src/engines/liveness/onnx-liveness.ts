import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { PROJECT_ROOT } from '../../config.ts';
import type { Box } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { OnnxModelFile } from '../face/model-config.ts';
import { loadVerifiedSession, runSession } from '../face/onnx-session.ts';
import { FR_LIVENESS_CROP, livenessInput } from './liveness-crop.ts';
import type { LivenessDetector, LivenessReading } from '../../ports/liveness-detector.ts';

/** fr_liveness.onnx of the installed model pack, with the SHA-256 that package.json pins for it. */
export function defaultLivenessModel(projectRoot: string = PROJECT_ROOT): OnnxModelFile {
  const pack = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).modelPack as {
    name: string; version: string; files: Record<string, string>;
  };
  const sha256 = pack.files['fr_liveness.onnx'];
  if (!sha256) throw new LikenessError('LIKENESS_MODEL_INTEGRITY', 'package.json pins no hash for fr_liveness.onnx');
  return { path: join(projectRoot, 'models', `${pack.name}-${pack.version}`, 'fr_liveness.onnx'), sha256 };
}

/**
 * The model pack's anti-spoofing model: input `input` [1,3,128,128], output `output` [1,3] logits.
 * The pack reports softmax class 0 as its liveness score. Measured here: a photograph of a printed
 * photo (framed, moiré, glare, blur) scores class 1 at 0.999+, but straight LFW press photos
 * spread over the whole 0..1 range of class 0, so a low score is a reason to look, not a verdict.
 */
export class OnnxLivenessDetector implements LivenessDetector {
  readonly modelId: string;

  private constructor(private readonly session: ort.InferenceSession, modelId: string) {
    this.modelId = modelId;
  }

  static async open(options: { model?: OnnxModelFile; threads?: number } = {}): Promise<OnnxLivenessDetector> {
    const model = options.model ?? defaultLivenessModel();
    const session = await loadVerifiedSession(model, { threads: options.threads ?? 1 });
    return new OnnxLivenessDetector(session, `fr_liveness/${model.sha256.slice(0, 12)}`);
  }

  async check(image: DecodedImage, box: Box): Promise<LivenessReading> {
    if (!(box.width > 0 && box.height > 0)) throw new LikenessError('LIKENESS_BAD_INPUT', 'A face box needs a positive width and height');
    const n = FR_LIVENESS_CROP.size;
    const out = await runSession(this.session, livenessInput(image, box), [1, 3, n, n]);
    const logits = out.output;
    if (!logits || logits.length < 2) throw new LikenessError('LIKENESS_MODEL_INTEGRITY', 'The liveness model has no output named output');
    const classes = softmax(logits);
    return { live: classes[0]!, classes };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function softmax(logits: Float32Array): number[] {
  const max = Math.max(...logits);
  const exp = [...logits].map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}
