import type { Box, FaceQuality, Point } from '../domain/types.ts';

/** An image decoded to packed RGB, upright (EXIF orientation applied), alpha removed. */
export interface DecodedImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major RGB. */
  rgb: Uint8Array;
}

export interface DetectedFace {
  box: Box;
  detectionScore: number;
  /** Five points in image coordinates: left eye, right eye, nose, left and right mouth corners. */
  landmarks: Point[];
  quality: FaceQuality;
  /** L2-normalised embedding. */
  embedding: Float32Array;
  /** How old the face looks, in years: only when asked for (AnalyseOptions.estimateAges) and the engine has an age model. */
  estimatedAge?: number;
}

export interface AnalyseOptions {
  /** Keep only the largest this many faces (default: all). */
  maxFaces?: number;
  /**
   * When the detector finds no face, analyse this region as one (detectionScore 0) instead of
   * returning none. For sets of already-cropped faces, such as benchmarks; never for uploads.
   */
  fallbackBox?: Box;
  /**
   * Also fingerprint the image for near-duplicates (AnalysedImage.perceptualHash), in the thread
   * that decodes it, so the caller does no pixel work of its own.
   */
  perceptualHash?: boolean;
  /** Also estimate each face's age (DetectedFace.estimatedAge), where the engine has an age model. */
  estimateAges?: boolean;
}

export interface AnalysedImage {
  width: number;
  height: number;
  /** Largest face first. */
  faces: DetectedFace[];
  /** The near-duplicate fingerprint, when asked for (AnalyseOptions.perceptualHash). */
  perceptualHash?: string;
}

/** The seam between likeness and whichever detector and recogniser are configured. */
export interface FaceEngine {
  readonly modelId: string;
  readonly dimension: number;
  /**
   * Decodes, detects, aligns and embeds every face. Throws LikenessError on bad input; an image
   * without a face is not bad input, it yields `faces: []`.
   */
  analyse(bytes: Uint8Array, options?: AnalyseOptions): Promise<AnalysedImage>;
  close(): Promise<void>;
}
