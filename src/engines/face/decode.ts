import { LikenessError } from '../../errors.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import { loadSharp } from '../image/load-sharp.ts';

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
  return (await decodeForAnalysis(bytes, limits)).image;
}

export interface AnalysisDecode {
  /** The pixels, possibly at a reduced size. */
  image: DecodedImage;
  /** The upright image's full size. */
  width: number;
  height: number;
  /** Full-size pixels per decoded pixel along each axis, 1 when decoded at full size. */
  scaleX: number;
  scaleY: number;
}

/**
 * Like decodeImage, but a large JPEG is decoded straight to 1/2, 1/4 or 1/8 of its size by the
 * JPEG decoder itself (shrink-on-load), as long as both sides keep at least `minShorterSide` and
 * `minLongerSide` pixels. Decoding a 24-megapixel photo at 1/4 takes a fraction of the time and
 * memory, and a detector that sees 320x240 finds no face there that the reduced image does not
 * still hold in more pixels than the recogniser's crop.
 */
export async function decodeForAnalysis(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  working: { minShorterSide: number; minLongerSide: number } = { minShorterSide: Infinity, minLongerSide: Infinity },
): Promise<AnalysisDecode> {
  if (bytes.byteLength === 0) throw new LikenessError('LIKENESS_NOT_AN_IMAGE', 'The file is empty');
  if (bytes.byteLength > limits.maxBytes) {
    throw new LikenessError('LIKENESS_IMAGE_TOO_LARGE', `The file has ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`);
  }
  // Loaded on first use, so that importing the limits above loads no image library.
  const sharp = await loadSharp();
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
  const upright = metadata.autoOrient ?? { width, height };
  const shrink = metadata.format === 'jpeg' ? jpegShrink(upright.width, upright.height, working) : 1;
  let pipeline = sharp(bytes, options).rotate();
  // The exact size libjpeg produces at 1/shrink (it rounds up), so no resampling follows the DCT scaling.
  if (shrink > 1) pipeline = pipeline.resize(Math.ceil(upright.width / shrink), Math.ceil(upright.height / shrink), { fit: 'fill' });
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw classify(error);
    });
  if (info.channels !== 3) throw new LikenessError('LIKENESS_CORRUPT_IMAGE', `Decoded to ${info.channels} channels`);
  const image = { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  return { image, width: upright.width, height: upright.height, scaleX: upright.width / info.width, scaleY: upright.height / info.height };
}

/** The largest JPEG DCT scaling (1, 2, 4 or 8) that keeps both sides at their working minimum. */
export function jpegShrink(width: number, height: number, working: { minShorterSide: number; minLongerSide: number }): number {
  const shorter = Math.min(width, height);
  const longer = Math.max(width, height);
  for (const factor of [8, 4, 2]) {
    if (shorter / factor >= working.minShorterSide && longer / factor >= working.minLongerSide) return factor;
  }
  return 1;
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
