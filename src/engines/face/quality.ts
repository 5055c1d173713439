import type { Box, FaceQuality, Point } from '../../domain/types.ts';
import { toGrey } from './pixels.ts';

/**
 * Nose-tip depth in front of the eye line, in units of half the inter-eye distance. An average
 * adult value; it only needs to make yaw roughly right for quality gating.
 */
const NOSE_DEPTH = 1;

export function assessQuality(box: Box, detectionScore: number, landmarks: readonly Point[], aligned: Uint8Array, alignedSize: number): FaceQuality {
  const { yaw, roll } = poseFromFivePoints(landmarks);
  return {
    size: Math.round(Math.min(box.width, box.height)),
    detectionScore,
    sharpness: laplacianVariance(toGrey(aligned, alignedSize, alignedSize), alignedSize, alignedSize),
    yaw,
    roll,
  };
}

/**
 * Roll from the eye line (positive: clockwise in the image); yaw from how far the nose tip sits
 * off the eyes' midpoint (positive: nose towards the image's right). Degrees.
 */
export function poseFromFivePoints(points: readonly Point[]): { yaw: number; roll: number } {
  const [left, right, nose] = points;
  if (!left || !right || !nose) throw new RangeError('Need the five landmarks');
  const dx = right[0] - left[0];
  const dy = right[1] - left[1];
  const roll = Math.atan2(dy, dx);
  const halfEye = Math.hypot(dx, dy) / 2;
  if (halfEye === 0) return { yaw: 0, roll: 0 };
  // The nose offset measured along the eye line, so roll does not leak into yaw.
  const mx = (left[0] + right[0]) / 2;
  const my = (left[1] + right[1]) / 2;
  const along = ((nose[0] - mx) * Math.cos(roll) + (nose[1] - my) * Math.sin(roll)) / halfEye;
  return { yaw: round1(toDegrees(Math.atan(along / NOSE_DEPTH))), roll: round1(toDegrees(roll)) };
}

/** Variance of the 4-neighbour Laplacian: edges vanish as blur grows, so the variance drops. */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = (grey[i - 1] ?? 0) + (grey[i + 1] ?? 0) + (grey[i - width] ?? 0) + (grey[i + width] ?? 0) - 4 * (grey[i] ?? 0);
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return round1(sumSq / n - mean * mean);
}

function toDegrees(radians: number): number {
  return (radians * 180) / Math.PI;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
