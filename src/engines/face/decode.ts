import sharp from 'sharp';
import { LikenessError } from '../../errors.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';

export interface DecodeLimits {
  /** Refused before any pixel is decoded (decompression bombs). */
  maxPixels: number;
  maxBytes: number;
  /** Shorter side below which no face could be recognised. */
  minSide: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxPixels: 40_000_000,
  maxBytes: 25 * 1024 * 1024,
  minSide: 32,
};

// Photographs only: vector and document formats (svg, pdf) would be rendered, not decoded.
const PHOTO_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif', 'jp2']);

/** Decodes to upright packed RGB, turning every way an upload can be bad into a LikenessError. */
export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<DecodedImage> {
  if (bytes.byteLength === 0) throw new LikenessError('LIKENESS_NOT_AN_IMAGE', 'The file is empty');
  if (bytes.byteLength > limits.maxBytes) {
    throw new LikenessError('LIKENESS_IMAGE_TOO_LARGE', `The file has ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`);
  }
  const options = { failOn: 'error', limitInputPixels: limits.maxPixels } as const;
  const metadata = await sharp(bytes, options).metadata().catch((error: unknown) => {
    throw classify(error);
  });
  if (!PHOTO_FORMATS.has(metadata.format ?? '')) {
    throw new LikenessError('LIKENESS_NOT_AN_IMAGE', `Images in ${metadata.format ?? 'this'} format are not accepted`);
  }
  const { width = 0, height = 0 } = metadata;
  if (width * height > limits.maxPixels) {
    throw new LikenessError('LIKENESS_IMAGE_TOO_LARGE', `The image has ${width}x${height} pixels; the limit is ${limits.maxPixels}`);
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new LikenessError('LIKENESS_IMAGE_TOO_SMALL', `The image is ${width}x${height}; each side must be at least ${limits.minSide}`);
  }
  const { data, info } = await sharp(bytes, options)
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw classify(error);
    });
  if (info.channels !== 3) throw new LikenessError('LIKENESS_CORRUPT_IMAGE', `Decoded to ${info.channels} channels`);
  return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function classify(error: unknown): LikenessError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) {
    return new LikenessError('LIKENESS_NOT_AN_IMAGE', undefined, { cause: error });
  }
  if (/pixel limit/i.test(message)) {
    return new LikenessError('LIKENESS_IMAGE_TOO_LARGE', undefined, { cause: error });
  }
  return new LikenessError('LIKENESS_CORRUPT_IMAGE', `The image cannot be decoded: ${firstLine(message)}`, { cause: error });
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
