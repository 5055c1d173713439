import type ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Box, Point } from '../../domain/types.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { FaceModelConfig } from './model-config.ts';
import { runSession } from './onnx-session.ts';
import { toGrey } from './pixels.ts';

type LandmarkConfig = FaceModelConfig['landmarks'];

/** The square the landmark model expects: side = box height, same centre, in whole pixels inside the image. */
export function landmarkCrop(box: Box, imageWidth: number, imageHeight: number): Box {
  const side = box.height;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x1 = Math.max(0, Math.round(cx - side / 2));
  const y1 = Math.max(0, Math.round(cy - side / 2));
  const x2 = Math.min(imageWidth, Math.round(cx + side / 2));
  const y2 = Math.min(imageHeight, Math.round(cy + side / 2));
  return { x: x1, y: y1, width: Math.max(1, x2 - x1), height: Math.max(1, y2 - y1) };
}

/** Runs the 68-point model on a crop and returns the 68 points in image coordinates. */
export async function detectLandmarks68(
  session: ort.InferenceSession,
  config: LandmarkConfig,
  image: DecodedImage,
  crop: Box,
): Promise<Point[]> {
  const size = config.inputSize;
  const patch = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
    .resize(size, size, { fit: 'fill' })
    .raw()
    .toBuffer();
  const grey = toGrey(patch, size, size);
  for (let i = 0; i < grey.length; i++) grey[i] = ((grey[i] ?? 0) - config.normalisation.mean) / config.normalisation.scale;
  const out = await runSession(session, grey, [1, 1, size, size]);
  const flat = Object.values(out)[0];
  if (!flat || flat.length < 136) throw new Error('Landmark model must output 68 (x, y) pairs');
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    points.push([(flat[2 * i] ?? 0) * crop.width + crop.x, (flat[2 * i + 1] ?? 0) * crop.height + crop.y]);
  }
  return points;
}

/**
 * The iBUG 68-point layout reduced to the five points ArcFace alignment uses: eye centres from
 * the four lid points of each eye, nose tip, mouth corners from outer and inner lip corners.
 */
export function fivePointsFrom68(points: readonly Point[]): Point[] {
  if (points.length !== 68) throw new RangeError(`Expected 68 landmarks, got ${points.length}`);
  const mean = (...indices: number[]): Point => {
    let x = 0;
    let y = 0;
    for (const i of indices) {
      const p = points[i] as Point;
      x += p[0];
      y += p[1];
    }
    return [x / indices.length, y / indices.length];
  };
  return [mean(37, 38, 40, 41), mean(43, 44, 46, 47), mean(30), mean(48, 60), mean(54, 64)];
}
