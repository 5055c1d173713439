import type { Point } from '../../domain/types.ts';
import type { DecodedImage, DetectedFace } from '../../ports/face-engine.ts';
import type { ScoredBox } from './nms.ts';
import { onMeanCanvas } from './pixels.ts';

/**
 * Margins tried, as fractions of the photo's longer side added around it, when the detector finds
 * no face in the photo as it is. A tight close-up (an ID photo, a cropped avatar) fills the
 * detector's input edge to edge, larger than any face it was trained on. On a padded canvas of
 * the detector's shape the face is smaller; each margin is one more detector pass, and only photos
 * with no face pay for it.
 */
export const RETRY_MARGINS = [0.3, 0.7, 1.2] as const;

/**
 * A face whose box is at least this share of the photo's height is a close-up: found again on the
 * first retry margin's canvas, where the detector's box fits the face as on an ordinary photo (a
 * box cut short by the photo's edges puts the landmark crop on part of the face). Measured with
 * bench:close-ups (docs/architecture.md, "Probes").
 */
export const CLOSE_UP_SHARE = 0.6;

export interface Detection {
  /** The image the faces were found in: the photo, or the padded canvas around it. */
  image: DecodedImage;
  detections: ScoredBox[];
  /** Where the photo sits in `image`; zero when it is the photo itself. */
  offset: { x: number; y: number };
}

export async function detectWithRetry(detect: (image: DecodedImage) => Promise<ScoredBox[]>, photo: DecodedImage, aspect: number): Promise<Detection> {
  const first = await detect(photo);
  if (first.length > 0) {
    const asIs = { image: photo, detections: first, offset: { x: 0, y: 0 } };
    if (!isCloseUp(first, photo.height)) return asIs;
    const padded = padToAspect(photo, RETRY_MARGINS[0], aspect);
    const again = await detect(padded.image);
    return again.length > 0 ? { ...padded, detections: again } : asIs;
  }
  for (const margin of RETRY_MARGINS) {
    const padded = padToAspect(photo, margin, aspect);
    const detections = await detect(padded.image);
    if (detections.length > 0) return { ...padded, detections };
  }
  return { image: photo, detections: [], offset: { x: 0, y: 0 } };
}

function isCloseUp(detections: readonly ScoredBox[], photoHeight: number): boolean {
  return detections.some((d) => d.y2 - d.y1 >= CLOSE_UP_SHARE * photoHeight);
}

/** The photo in the middle of a canvas of the given aspect, the border in the photo's mean colour. */
export function padToAspect(photo: DecodedImage, margin: number, aspect: number): { image: DecodedImage; offset: { x: number; y: number } } {
  const pad = Math.round(margin * Math.max(photo.width, photo.height));
  let width = photo.width + 2 * pad;
  let height = photo.height + 2 * pad;
  if (width / height < aspect) width = Math.round(height * aspect);
  else height = Math.round(width / aspect);
  const x0 = Math.floor((width - photo.width) / 2);
  const y0 = Math.floor((height - photo.height) / 2);
  const rgb = onMeanCanvas(photo.rgb, photo.width, photo.height, { width, height, left: x0, top: y0 });
  return { image: { width, height, rgb }, offset: { x: x0, y: y0 } };
}

/** A face found on the padded canvas, in the photo's coordinates; its box kept inside the photo. */
export function inPhoto(face: DetectedFace, offset: { x: number; y: number }, photo: { width: number; height: number }): DetectedFace {
  if (offset.x === 0 && offset.y === 0) return face;
  const x1 = Math.max(0, face.box.x - offset.x);
  const y1 = Math.max(0, face.box.y - offset.y);
  const x2 = Math.min(photo.width, face.box.x + face.box.width - offset.x);
  const y2 = Math.min(photo.height, face.box.y + face.box.height - offset.y);
  const box = { x: x1, y: y1, width: Math.max(1, x2 - x1), height: Math.max(1, y2 - y1) };
  const landmarks = face.landmarks.map(([x, y]): Point => [x - offset.x, y - offset.y]);
  return { ...face, box, landmarks, quality: { ...face.quality, size: Math.round(Math.min(box.width, box.height)) } };
}
