import type { Box, FaceQuality } from '../../domain/types.ts';

/** Why the calibration may not hold for a probe face (docs/architecture.md, "Probe faces"). */
export type ProbeWarning = 'small-face' | 'blurred' | 'turned' | 'low-detection-score';

// Below these the LFW calibration (faces of about 100 pixels, sharp, mostly frontal, detected
// with confidence) was not measured, so a score may mean less than its rate says.
export const PROBE_LIMITS = { minSize: 40, minSharpness: 40, maxYaw: 35, minDetectionScore: 0.9 } as const;

export function probeWarnings(quality: FaceQuality): ProbeWarning[] {
  const warnings: ProbeWarning[] = [];
  if (quality.size < PROBE_LIMITS.minSize) warnings.push('small-face');
  if (quality.sharpness > 0 && quality.sharpness < PROBE_LIMITS.minSharpness) warnings.push('blurred');
  if (Math.abs(quality.yaw) > PROBE_LIMITS.maxYaw) warnings.push('turned');
  if (quality.detectionScore < PROBE_LIMITS.minDetectionScore) warnings.push('low-detection-score');
  return warnings;
}

interface Detected { box: Box; detectionScore: number }

/**
 * The face a photo is most likely about: confidently detected, large, near the centre, all three
 * together. The largest face alone picks a blurred head in the foreground of a crowd; the most
 * central alone picks a small face behind the subject.
 */
export function prominence(face: Detected, width: number, height: number): number {
  const { box } = face;
  const side = Math.sqrt(box.width * box.height);
  const dx = (box.x + box.width / 2 - width / 2) / (width / 2);
  const dy = (box.y + box.height / 2 - height / 2) / (height / 2);
  const offCentre = Math.min(1, Math.hypot(dx, dy) / Math.SQRT2);
  return face.detectionScore ** 4 * side * (1 - 0.5 * offCentre);
}

/** Index of the most prominent face; the first of equals. */
export function mostProminent(faces: readonly Detected[], width: number, height: number): number {
  let best = 0;
  for (let i = 1; i < faces.length; i++) {
    if (prominence(faces[i]!, width, height) > prominence(faces[best]!, width, height)) best = i;
  }
  return best;
}
