import { LikenessError } from '../../errors.ts';
import type { AnalysedSelfie, SelfieAnalyser } from '../../ports/selfie-analyser.ts';
import { DEFAULT_DECODE_LIMITS, decodeImage } from '../face/decode.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import type { LivenessDetector } from '../../ports/liveness-detector.ts';

/** The face engine for the template, the liveness model on the same face box. */
export class EngineSelfieAnalyser implements SelfieAnalyser {
  constructor(
    private readonly engine: () => Promise<FaceEngine>,
    private readonly liveness: () => Promise<LivenessDetector>,
    private readonly limits: { maxBytes: number; maxPixels: number },
  ) {}

  async analyse(bytes: Uint8Array, options: { liveness: boolean }): Promise<AnalysedSelfie> {
    const engine = await this.engine();
    const analysed = await engine.analyse(bytes, { maxFaces: 1 });
    const face = analysed.faces[0];
    if (!face) throw new LikenessError('LIKENESS_NO_FACE');
    if (!options.liveness) return { embedding: face.embedding, modelId: engine.modelId, liveness: null };
    const detector = await this.liveness();
    const reading = await detector.check(await decodeImage(bytes, { ...DEFAULT_DECODE_LIMITS, ...this.limits }), face.box);
    return { embedding: face.embedding, modelId: engine.modelId, liveness: { score: reading.live, modelId: detector.modelId } };
  }
}
