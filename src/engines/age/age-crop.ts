import type { Box } from '../../domain/types.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';

export interface AgeCropOptions {
  /** Input side of the model. */
  size: number;
  /** The detector's box is widened by this factor around its centre, for hair, chin and ears. */
  margin: number;
  /** Per channel, R G B, applied to values in 0..1. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** What fr_age.onnx was trained on: a 1.4x box, squashed to 64x64, ImageNet-normalised RGB. */
export const FR_AGE_CROP: AgeCropOptions = { size: 64, margin: 1.4, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/**
 * The region to crop: the box scaled about its centre (less when the image is too small to
 * hold it), then slid, not cut, to lie inside the image, so the face keeps its context.
 */
export function ageCropRegion(image: Pick<DecodedImage, 'width' | 'height'>, box: Box, margin: number): Box {
  const maxX = image.width - 1;
  const maxY = image.height - 1;
  const scale = Math.min(maxY / box.height, maxX / box.width, margin);
  const width = box.width * scale;
  const height = box.height * scale;
  let left = box.x + box.width / 2 - width / 2;
  let top = box.y + box.height / 2 - height / 2;
  left = Math.min(Math.max(left, 0), maxX - width);
  top = Math.min(Math.max(top, 0), maxY - height);
  const x = Math.max(Math.trunc(left), 0);
  const y = Math.max(Math.trunc(top), 0);
  return { x, y, width: Math.max(1, Math.min(Math.trunc(width), maxX - x)), height: Math.max(1, Math.min(Math.trunc(height), maxY - y)) };
}

/** The model input, NCHW float32: the region resized (bilinear, pixel centres aligned) and normalised. */
export function ageInput(image: DecodedImage, box: Box, options: AgeCropOptions = FR_AGE_CROP, out = new Float32Array(3 * options.size * options.size)): Float32Array {
  const region = ageCropRegion(image, box, options.margin);
  const n = options.size;
  const sx = region.width / n;
  const sy = region.height / n;
  const { rgb, width } = image;
  // Plain index arithmetic in the loop: no closure or array is made per pixel.
  for (let oy = 0; oy < n; oy++) {
    const fy = Math.min(Math.max((oy + 0.5) * sy - 0.5, 0), region.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, region.height - 1);
    const wy = fy - y0;
    const row0 = 3 * (region.y + y0) * width;
    const row1 = 3 * (region.y + y1) * width;
    for (let ox = 0; ox < n; ox++) {
      const fx = Math.min(Math.max((ox + 0.5) * sx - 0.5, 0), region.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, region.width - 1);
      const wx = fx - x0;
      const c0 = 3 * (region.x + x0);
      const c1 = 3 * (region.x + x1);
      for (let c = 0; c < 3; c++) {
        const top = (rgb[row0 + c0 + c] ?? 0) * (1 - wx) + (rgb[row0 + c1 + c] ?? 0) * wx;
        const bottom = (rgb[row1 + c0 + c] ?? 0) * (1 - wx) + (rgb[row1 + c1 + c] ?? 0) * wx;
        const value = (top * (1 - wy) + bottom * wy) / 255;
        out[c * n * n + oy * n + ox] = (value - options.mean[c]!) / options.std[c]!;
      }
    }
  }
  return out;
}
