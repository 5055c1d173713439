import { ageInput, type AgeCropOptions } from '../age/age-crop.ts';
import type { Box } from '../../domain/types.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';

/**
 * What fr_liveness.onnx takes, as the model pack's own fr_liveness.js prepares it: the detector
 * box widened 2.7x about its centre (less where the image is smaller) and slid inside the image,
 * resized to 128x128, raw 0..255 RGB, NCHW. The wide margin matters: the model looks for the
 * edges of a print or a screen around the face.
 */
export const FR_LIVENESS_CROP: AgeCropOptions = { size: 128, margin: 2.7, mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] };

export function livenessInput(image: DecodedImage, box: Box): Float32Array {
  return ageInput(image, box, FR_LIVENESS_CROP);
}
