import type { DecodedImage } from '../../ports/face-engine.ts';
import { applySimilarity, invertSimilarity, type Similarity } from './similarity-transform.ts';

/**
 * Resamples `size` x `size` RGB pixels whose source is the inverse of `toCrop`, bilinear,
 * black outside the image (OpenCV warpAffine's defaults, which the recogniser saw in training).
 */
export function warpSimilarity(image: DecodedImage, toCrop: Similarity, size: number): Uint8Array {
  const back = invertSimilarity(toCrop);
  const out = new Uint8Array(size * size * 3);
  const { width, height, rgb } = image;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const [sx, sy] = applySimilarity(back, [u, v]);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = 3 * (v * size + u);
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
