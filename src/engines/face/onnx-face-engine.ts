import type ort from 'onnxruntime-node';
import type { Box } from '../../domain/types.ts';
import { DEFAULT_DECODE_LIMITS, decodeImage, type DecodeLimits } from './decode.ts';
import { detectFaces } from './detector.ts';
import type { AnalysedImage, AnalyseOptions, DecodedImage, DetectedFace, FaceEngine } from '../../ports/face-engine.ts';
import { detectLandmarks68, fivePointsFrom68, landmarkCrop } from './landmarks.ts';
import type { FaceModelConfig } from './model-config.ts';
import { loadVerifiedSession } from './onnx-session.ts';
import { detectWithRetry, inPhoto } from './padded-retry.ts';
import { assessQuality } from './quality.ts';
import { alignFace, embedAligned } from './recogniser.ts';

export interface OnnxFaceEngineOptions {
  /** Threads per inference (onnxruntime intraOpNumThreads). Default 1. */
  threads?: number;
  limits?: Partial<DecodeLimits>;
}

/** Detector, landmark model and recogniser in this thread, each checked against its pinned hash. */
export class OnnxFaceEngine implements FaceEngine {
  readonly modelId: string;
  readonly dimension: number;
  private readonly limits: DecodeLimits;

  private constructor(
    private readonly config: FaceModelConfig,
    private readonly detector: ort.InferenceSession,
    private readonly landmarker: ort.InferenceSession,
    private readonly recogniser: ort.InferenceSession,
    limits: Partial<DecodeLimits>,
  ) {
    this.modelId = config.modelId;
    this.dimension = config.recogniser.dimension;
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...limits };
  }

  static async create(config: FaceModelConfig, options: OnnxFaceEngineOptions = {}): Promise<OnnxFaceEngine> {
    const session = { threads: options.threads ?? 1 };
    const loaded = await Promise.allSettled([
      loadVerifiedSession(config.detector, session),
      loadVerifiedSession(config.landmarks, session),
      loadVerifiedSession(config.recogniser, session),
    ]);
    const failed = loaded.find((l) => l.status === 'rejected');
    if (failed) {
      // Settle every load before failing: a session still loading when its thread exits aborts the process.
      await Promise.all(loaded.map((l) => (l.status === 'fulfilled' ? l.value.release() : undefined)));
      throw failed.reason;
    }
    const [detector, landmarker, recogniser] = loaded.map((l) => (l as PromiseFulfilledResult<ort.InferenceSession>).value) as
      [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
    return new OnnxFaceEngine(config, detector, landmarker, recogniser, options.limits ?? {});
  }

  async analyse(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<AnalysedImage> {
    const photo = await decodeImage(bytes, this.limits);
    // A tight close-up may need a padded canvas to be detected (padded-retry.ts); faces are described there, reported in the photo.
    const { image, detections, offset } = await detectWithRetry((i) => detectFaces(this.detector, this.config.detector, i), photo,
      this.config.detector.inputWidth / this.config.detector.inputHeight);
    let regions = detections
      .map((d) => ({ box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 }, score: d.score }))
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)
      .slice(0, options.maxFaces ?? Infinity);
    if (regions.length === 0 && options.fallbackBox) regions = [{ box: options.fallbackBox, score: 0 }];
    const faces: DetectedFace[] = [];
    for (const region of regions) faces.push(inPhoto(await this.describe(image, region.box, region.score), offset, photo));
    return { width: photo.width, height: photo.height, faces };
  }

  private async describe(image: DecodedImage, box: Box, score: number): Promise<DetectedFace> {
    const points68 = await detectLandmarks68(this.landmarker, this.config.landmarks, image, landmarkCrop(box, image.width, image.height));
    const landmarks = fivePointsFrom68(points68);
    const aligned = alignFace(image, landmarks, this.config.recogniser);
    const embedding = await embedAligned(this.recogniser, this.config.recogniser, aligned);
    const quality = assessQuality(box, score, landmarks, aligned, this.config.recogniser.inputSize);
    return { box: roundBox(box), detectionScore: score, landmarks, quality, embedding };
  }

  private closing: Promise<void> | undefined;

  /** Safe to call again (a shutdown path and a finally both close): onnxruntime throws on a second release. */
  async close(): Promise<void> {
    await (this.closing ??= Promise.all([this.detector.release(), this.landmarker.release(), this.recogniser.release()]).then(() => undefined));
  }
}

function roundBox(box: Box): Box {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { x: r(box.x), y: r(box.y), width: r(box.width), height: r(box.height) };
}
