import type { ImageTools } from '../../ports/image-tools.ts';
import { cropFace } from './face-crop.ts';
import { perceptualHash } from './perceptual-hash.ts';

export const sharpImageTools: ImageTools = { perceptualHash, cropFace: (bytes, box) => cropFace(bytes, box) };
