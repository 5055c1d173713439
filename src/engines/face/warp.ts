import type { DecodedImage } from '../../ports/face-engine.ts';
import { invertSimilarity, type Similarity } from './similarity-transform.ts';

/**
 * Resamples `size` x `size` RGB pixels whose source is the inverse of `toCrop`, bilinear,
 * black outside the image (OpenCV warpAffine's defaults, which the recogniser saw in training).
 */
export function warpSimilarity(image: DecodedImage, toCrop: Similarity, size: number): Uint8Array {
  const { a, b, tx, ty } = invertSimilarity(toCrop);
  const out = new Uint8Array(size * size * 3);
  const { width, height, rgb } = image;
  // The hot loop of alignment: no allocation per pixel, the four neighbours read once for all
  // three channels; the arithmetic is applySimilarity's, term for term.
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const sx = a * u - b * v + tx;
      const sy = b * u + a * v + ty;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = 3 * (v * size + u);
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        const i00 = 3 * (y0 * width + x0);
        const i01 = i00 + 3 * width;
        out[o] = lerp2(rgb[i00]!, rgb[i00 + 3]!, rgb[i01]!, rgb[i01 + 3]!, fx, fy);
        out[o + 1] = lerp2(rgb[i00 + 1]!, rgb[i00 + 4]!, rgb[i01 + 1]!, rgb[i01 + 4]!, fx, fy);
        out[o + 2] = lerp2(rgb[i00 + 2]!, rgb[i00 + 5]!, rgb[i01 + 2]!, rgb[i01 + 5]!, fx, fy);
        continue;
      }
      for (let c = 0; c < 3; c++) {
        const p00 = sample(rgb, width, height, x0, y0, c);
        const p10 = sample(rgb, width, height, x0 + 1, y0, c);
        const p01 = sample(rgb, width, height, x0, y0 + 1, c);
        const p11 = sample(rgb, width, height, x0 + 1, y0 + 1, c);
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[o + c] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

/** Bilinear mix of four neighbours, rounded: the same arithmetic, in the same order, as the edge path below. */
function lerp2(p00: number, p10: number, p01: number, p11: number, fx: number, fy: number): number {
  const top = p00 + (p10 - p00) * fx;
  const bottom = p01 + (p11 - p01) * fx;
  return Math.round(top + (bottom - top) * fy);
}

function sample(rgb: Uint8Array, width: number, height: number, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return rgb[3 * (y * width + x) + c] ?? 0;
}

/** Mirror image left to right, for flip-augmented embeddings. */
export function mirror(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = 3 * (y * width + x);
      const d = 3 * (y * width + (width - 1 - x));
      out[d] = rgb[s] ?? 0;
      out[d + 1] = rgb[s + 1] ?? 0;
      out[d + 2] = rgb[s + 2] ?? 0;
    }
  }
  return out;
}
