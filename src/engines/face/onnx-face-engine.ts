import type ort from 'onnxruntime-node';
import type { Box, Point } from '../../domain/types.ts';
import type { AgeEstimator } from '../age/age-estimator.ts';
import { OnnxAgeEstimator } from '../age/onnx-age-estimator.ts';
import { perceptualHash } from '../image/perceptual-hash.ts';
import { DEFAULT_DECODE_LIMITS, decodeForAnalysis, type AnalysisDecode, type DecodeLimits } from './decode.ts';
import { detectFaces } from './detector.ts';
import type { AnalysedImage, AnalyseOptions, DetectedFace, FaceEngine } from '../../ports/face-engine.ts';
import { detectLandmarks68, fivePointsFrom68, landmarkCrop } from './landmarks.ts';
import type { FaceModelConfig, OnnxModelFile } from './model-config.ts';
import { loadVerifiedSession } from './onnx-session.ts';
import { detectWithRetry, inPhoto } from './padded-retry.ts';
import { assessQuality } from './quality.ts';
import { alignFace, embedAligned } from './recogniser.ts';

export interface OnnxFaceEngineOptions {
  /** Threads per inference (onnxruntime intraOpNumThreads). Default 1. */
  threads?: number;
  limits?: Partial<DecodeLimits>;
  /**
   * The age model, loaded beside the others, for callers that ask for ages (ingestion under a
   * policy that keeps minors out): they are estimated on the pixels already decoded here.
   */
  ageModel?: OnnxModelFile;
}

/** Detector, landmark model and recogniser in this thread, each checked against its pinned hash. */
export class OnnxFaceEngine implements FaceEngine {
  readonly modelId: string;
  readonly dimension: number;
  private readonly limits: DecodeLimits;
  /**
   * Large JPEGs are decoded at reduced size down to 4x the detector's input: a face it can
   * find there still spans more decoded pixels than the recogniser's crop samples.
   */
  private readonly working: { minShorterSide: number; minLongerSide: number };

  private constructor(
    private readonly config: FaceModelConfig,
    private readonly detector: ort.InferenceSession,
    private readonly landmarker: ort.InferenceSession,
    private readonly recogniser: ort.InferenceSession,
    private readonly ages: AgeEstimator | undefined,
    limits: Partial<DecodeLimits>,
  ) {
    this.modelId = config.modelId;
    this.dimension = config.recogniser.dimension;
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...limits };
    const { inputWidth, inputHeight } = config.detector;
    this.working = { minShorterSide: 4 * Math.min(inputWidth, inputHeight), minLongerSide: 4 * Math.max(inputWidth, inputHeight) };
  }

  static async create(config: FaceModelConfig, options: OnnxFaceEngineOptions = {}): Promise<OnnxFaceEngine> {
    const session = { threads: options.threads ?? 1 };
    const ageModel = options.ageModel;
    const loaded = await Promise.allSettled<{ release(): Promise<void> }>([
      loadVerifiedSession(config.detector, session),
      loadVerifiedSession(config.landmarks, session),
      loadVerifiedSession(config.recogniser, session),
      ...(ageModel ? [OnnxAgeEstimator.open({ model: ageModel, threads: session.threads }).then((estimator) => ({ estimator, release: () => estimator.close() }))] : []),
    ]);
    const failed = loaded.find((l) => l.status === 'rejected');
    if (failed) {
      // Settle every load before failing: a session still loading when its thread exits aborts the process.
      await Promise.all(loaded.map((l) => (l.status === 'fulfilled' ? l.value.release() : undefined)));
      throw failed.reason;
    }
    const [detector, landmarker, recogniser, age] = loaded.map((l) => (l as PromiseFulfilledResult<unknown>).value) as
      [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession, { estimator: AgeEstimator } | undefined];
    return new OnnxFaceEngine(config, detector, landmarker, recogniser, age?.estimator, options.limits ?? {});
  }

  async analyse(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<AnalysedImage> {
    const decoded = await decodeForAnalysis(bytes, this.limits, this.working);
    const { scaleX, scaleY } = decoded;
    // A tight close-up may need a padded canvas to be detected (padded-retry.ts); faces are described there, reported in the photo.
    const { image, detections, offset } = await detectWithRetry((i) => detectFaces(this.detector, this.config.detector, i), decoded.image,
      this.config.detector.inputWidth / this.config.detector.inputHeight);
    const onCanvas = { ...decoded, image };
    const offsetInPhoto = { x: offset.x * scaleX, y: offset.y * scaleY };
    let regions = detections
      .map((d) => ({ box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 }, score: d.score }))
      .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)
      .slice(0, options.maxFaces ?? Infinity);
    if (regions.length === 0 && options.fallbackBox) {
      const f = options.fallbackBox;
      regions = [{ box: { x: f.x / scaleX, y: f.y / scaleY, width: f.width / scaleX, height: f.height / scaleY }, score: 0 }];
    }
    const faces: DetectedFace[] = [];
    for (const region of regions) faces.push(inPhoto(await this.describe(onCanvas, region.box, region.score), offsetInPhoto, decoded));
    if (options.estimateAges && this.ages) {
      for (const face of faces) face.estimatedAge = await this.ages.estimate(decoded.image, inDecoded(face.box, decoded));
    }
    const analysed: AnalysedImage = { width: decoded.width, height: decoded.height, faces };
    // Asked for once the image has decoded: bytes that are no image fail above, with the decoder's refusal.
    if (options.perceptualHash) analysed.perceptualHash = await perceptualHash(bytes);
    return analysed;
  }

  /** Landmarks, alignment and embedding on the decoded pixels; box and points reported in full-size pixels. */
  private async describe(decoded: AnalysisDecode, box: Box, score: number): Promise<DetectedFace> {
    const { image, scaleX, scaleY } = decoded;
    const points68 = await detectLandmarks68(this.landmarker, this.config.landmarks, image, landmarkCrop(box, image.width, image.height));
    const found = fivePointsFrom68(points68);
    const aligned = alignFace(image, found, this.config.recogniser);
    const embedding = await embedAligned(this.recogniser, this.config.recogniser, aligned);
    const fullBox = scaleX === 1 && scaleY === 1 ? box : { x: box.x * scaleX, y: box.y * scaleY, width: box.width * scaleX, height: box.height * scaleY };
    const landmarks = scaleX === 1 && scaleY === 1 ? found : found.map(([x, y]): Point => [x * scaleX, y * scaleY]);
    const quality = assessQuality(fullBox, score, landmarks, aligned, this.config.recogniser.inputSize);
    return { box: roundBox(fullBox), detectionScore: score, landmarks, quality, embedding };
  }

  private closing: Promise<void> | undefined;

  /** Safe to call again (a shutdown path and a finally both close): onnxruntime throws on a second release. */
  async close(): Promise<void> {
    await (this.closing ??= Promise.all([this.detector.release(), this.landmarker.release(), this.recogniser.release(), this.ages?.close()]).then(() => undefined));
  }
}

/**
 * A box of the full-size photo on the pixels decoded: the same box when the photo was decoded at
 * full size, so an age estimated here is the one estimated on a full decode.
 */
function inDecoded(box: Box, decoded: AnalysisDecode): Box {
  const { scaleX, scaleY } = decoded;
  if (scaleX === 1 && scaleY === 1) return box;
  return { x: box.x / scaleX, y: box.y / scaleY, width: box.width / scaleX, height: box.height / scaleY };
}

function roundBox(box: Box): Box {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { x: r(box.x), y: r(box.y), width: r(box.width), height: r(box.height) };
}
