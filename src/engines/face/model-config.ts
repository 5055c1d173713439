import { join } from 'node:path';
import type { Point } from '../../domain/types.ts';

/** How pixel bytes become model input: (p - mean) / scale, channels in the given order, NCHW. */
export interface PixelNormalisation {
  mean: number;
  scale: number;
  channelOrder: 'rgb' | 'bgr';
}

export interface OnnxModelFile {
  path: string;
  /** Lower-case hex SHA-256 of the file; the file is refused if it differs. */
  sha256: string;
}

/**
 * Everything the ONNX engine needs to know about its three models. Plain data, so it can be
 * read from a config file and handed to worker threads; pointing `recogniser` at another
 * ArcFace-style 112x112 model needs no code change.
 */
export interface FaceModelConfig {
  /** Stored with every embedding: embeddings from different models must never be compared. */
  modelId: string;
  detector: OnnxModelFile & {
    /** Input width and height; the image is stretched to it (UltraFace style, corner-form outputs). */
    inputWidth: number;
    inputHeight: number;
    normalisation: PixelNormalisation;
    scoreThreshold: number;
    nmsIoU: number;
    topK: number;
  };
  landmarks: OnnxModelFile & {
    /** Square greyscale input side; the 68 outputs are fractions of the crop. */
    inputSize: number;
    normalisation: Omit<PixelNormalisation, 'channelOrder'>;
  };
  recogniser: OnnxModelFile & {
    inputSize: number;
    normalisation: PixelNormalisation;
    dimension: number;
    /** Where the five landmarks land in the aligned crop, in its pixel coordinates. */
    template: Point[];
    /** Adds the embedding of the mirrored crop: a little more accurate, twice the cost. */
    flipAugment: boolean;
  };
}

/** The five-point template every ArcFace-family model was trained on (112x112 crop). */
export const ARCFACE_TEMPLATE_112: Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

export const FACEPLUGIN_PACK = 'faceplugin-face-recognition-js-0.0.1';

/** The model pack that `scripts/install-models.mjs` installs, with the hashes pinned in package.json. */
export function defaultFaceModelConfig(projectRoot: string): FaceModelConfig {
  const dir = join(projectRoot, 'models', FACEPLUGIN_PACK);
  return {
    modelId: 'faceplugin-0.0.1/fr_feature',
    detector: {
      path: join(dir, 'fr_detect.onnx'),
      sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
      inputWidth: 320,
      inputHeight: 240,
      normalisation: { mean: 127, scale: 128, channelOrder: 'rgb' },
      scoreThreshold: 0.65,
      nmsIoU: 0.4,
      topK: 750,
    },
    landmarks: {
      path: join(dir, 'fr_landmark.onnx'),
      sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
      inputSize: 64,
      normalisation: { mean: 0, scale: 256 },
    },
    recogniser: {
      path: join(dir, 'fr_feature.onnx'),
      sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
      inputSize: 112,
      // Measured on LFW View 2 with bench/lfw.ts: BGR input 99.43% +- 0.53%, RGB 99.15% +- 0.45%,
      // TAR at FAR 1e-3 0.990 against 0.980: the recogniser was trained on OpenCV's BGR order.
      normalisation: { mean: 127, scale: 128, channelOrder: 'bgr' },
      dimension: 512,
      template: ARCFACE_TEMPLATE_112,
      flipAugment: false,
    },
  };
}
