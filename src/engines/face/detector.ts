import type ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { FaceModelConfig } from './model-config.ts';
import { nonMaximumSuppression, type ScoredBox } from './nms.ts';
import { runSession } from './onnx-session.ts';
import { toPlanar } from './pixels.ts';

type DetectorConfig = FaceModelConfig['detector'];

/**
 * UltraFace-style detector: the whole image stretched to the input size, one pass, outputs
 * `scores` [N,2] (softmax, column 1 is "face") and `boxes` [N,4] as fractions of the image.
 * Returns boxes in image pixels, best first.
 */
export async function detectFaces(session: ort.InferenceSession, config: DetectorConfig, image: DecodedImage): Promise<ScoredBox[]> {
  const { inputWidth: w, inputHeight: h } = config;
  const resized = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer();
  const input = toPlanar(resized, w, h, config.normalisation);
  const out = await runSession(session, input, [1, 3, h, w]);
  const scores = out['scores'];
  const boxes = out['boxes'];
  if (!scores || !boxes) throw new Error('Detector outputs must be named scores and boxes');
  return decodeDetections(scores, boxes, image.width, image.height, config);
}

export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  width: number,
  height: number,
  config: Pick<DetectorConfig, 'scoreThreshold' | 'nmsIoU' | 'topK'>,
): ScoredBox[] {
  const candidates: ScoredBox[] = [];
  const count = scores.length / 2;
  for (let i = 0; i < count; i++) {
    const score = scores[2 * i + 1] ?? 0;
    if (score <= config.scoreThreshold) continue;
    candidates.push({
      x1: clamp((boxes[4 * i] ?? 0) * width, 0, width),
      y1: clamp((boxes[4 * i + 1] ?? 0) * height, 0, height),
      x2: clamp((boxes[4 * i + 2] ?? 0) * width, 0, width),
      y2: clamp((boxes[4 * i + 3] ?? 0) * height, 0, height),
      score,
    });
  }
  return nonMaximumSuppression(candidates.filter((b) => b.x2 > b.x1 && b.y2 > b.y1), config.nmsIoU, config.topK);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
