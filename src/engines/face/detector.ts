import type ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { FaceModelConfig } from './model-config.ts';
import { nonMaximumSuppression, type ScoredBox } from './nms.ts';
import { runSessionFilled } from './onnx-session.ts';
import { onMeanCanvas, toPlanar } from './pixels.ts';

type DetectorConfig = FaceModelConfig['detector'];

/**
 * UltraFace-style detector: the image resized to the input size, one pass, outputs `scores`
 * [N,2] (softmax, column 1 is "face") and `boxes` [N,4] as fractions of the input. Returns boxes
 * in image pixels, inside the image, best first.
 */
export async function detectFaces(session: ort.InferenceSession, config: DetectorConfig, image: DecodedImage): Promise<ScoredBox[]> {
  const { inputWidth: w, inputHeight: h } = config;
  const fit = inputFit(image.width, image.height, w, h);
  const resized = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(fit.width, h, { fit: 'fill' })
    .raw()
    .toBuffer();
  const pixels = fit.left === 0 ? resized : onMeanCanvas(resized, fit.width, h, { width: w, height: h, left: fit.left, top: 0 });
  const out = await runSessionFilled(session, [1, 3, h, w], (input) => toPlanar(pixels, w, h, config.normalisation, input));
  const scores = out['scores'];
  const boxes = out['boxes'];
  if (!scores || !boxes) throw new Error('Detector outputs must be named scores and boxes');
  if (fit.left === 0) return decodeDetections(scores, boxes, image.width, image.height, config);
  // Decoded on the padded input's extent in image pixels, then moved back onto the image.
  const pixel = image.height / h;
  const shift = fit.left * pixel;
  return decodeDetections(scores, boxes, w * pixel, image.height, config)
    .map((d) => ({ ...d, x1: clamp(d.x1 - shift, 0, image.width), x2: clamp(d.x2 - shift, 0, image.width) }))
    .filter((d) => d.x2 > d.x1);
}

/**
 * How the image fills the detector's landscape input. Square and landscape images are stretched
 * to it. A portrait image is resized to the input's height and padded at the sides: its faces keep
 * their height and are not widened (a 92x112 close-up would be widened 1.6 times, further than any
 * face the detector was trained on, and its box then misplaces the landmark crop). Padding LFW's
 * square photos too measured no better on bench:lfw (99.42% against 99.43%).
 */
export function inputFit(imageWidth: number, imageHeight: number, inputWidth: number, inputHeight: number): { width: number; left: number } {
  if (imageWidth >= imageHeight) return { width: inputWidth, left: 0 };
  const width = Math.max(1, Math.min(inputWidth, Math.round((imageWidth * inputHeight) / imageHeight)));
  return { width, left: Math.floor((inputWidth - width) / 2) };
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
