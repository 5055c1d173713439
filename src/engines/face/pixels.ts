import type { PixelNormalisation } from './model-config.ts';

/** Packed RGB bytes to a normalised NCHW float tensor in the model's channel order. */
export function toPlanar(rgb: Uint8Array, width: number, height: number, norm: PixelNormalisation): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  const order = norm.channelOrder === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const source = order[c] ?? c;
    const base = c * plane;
    for (let i = 0; i < plane; i++) {
      out[base + i] = ((rgb[3 * i + source] ?? 0) - norm.mean) / norm.scale;
    }
  }
  return out;
}

/** ITU-R BT.601 luma, the weighting OpenCV's RGB2GRAY uses, which landmark models are usually trained on. */
export function toGrey(rgb: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.299 * (rgb[3 * i] ?? 0) + 0.587 * (rgb[3 * i + 1] ?? 0) + 0.114 * (rgb[3 * i + 2] ?? 0);
  }
  return out;
}
