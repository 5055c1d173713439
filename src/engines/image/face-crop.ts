import type { Box } from '../../domain/types.ts';
import { loadSharp } from './load-sharp.ts';

// Room around the detector's box so a reviewer sees hair line and chin, as in a passport photo.
const MARGIN = 0.25;

/** A square JPEG of one face, cut from the upright image (the box is in upright coordinates). */
export async function cropFace(bytes: Uint8Array, box: Box, size = 192): Promise<Buffer> {
  // Loaded here, not at import: every command builds the image tools, few cut crops.
  const sharp = await loadSharp();
  const upright = sharp(bytes, { failOn: 'error', limitInputPixels: 50_000_000 }).rotate();
  const { info } = await upright.clone().raw().toBuffer({ resolveWithObject: true });
  const side = Math.max(box.width, box.height) * (1 + 2 * MARGIN);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const left = clamp(Math.round(cx - side / 2), 0, info.width - 1);
  const top = clamp(Math.round(cy - side / 2), 0, info.height - 1);
  const width = clamp(Math.round(side), 1, info.width - left);
  const height = clamp(Math.round(side), 1, info.height - top);
  return upright.extract({ left, top, width, height }).resize(size, size, { fit: 'cover' }).jpeg({ quality: 85 }).toBuffer();
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}
