import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { AnalysedImage, AnalyseOptions, DetectedFace, FaceEngine } from '../../src/ports/face-engine.ts';
import { LikenessError } from '../../src/errors.ts';

// A stand-in for the ONNX engine in HTTP tests: an "image" is a real 16x16 PNG (ingestion hashes
// its pixels) followed by the text `FAKEIMG <seed>,<seed>,...`, one seed per face, largest first.
// The same seed always gives the same embedding, so a probe made of a gallery face's seed finds
// that face with score 1. No seed, no face.
const MAGIC = 'FAKEIMG';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAGElEQVQokWOoiLIhCTGMaogaDaWK4Zo0AMdDDhBBWdBNAAAAAElFTkSuQmCC', 'base64');
// Wide enough that unrelated seeds score near 0 (the spread of random 64-d cosines is about 0.125).
export const FAKE_DIMENSION = 64;

export function fakeImage(...seeds: number[]): Buffer {
  return fakeBytes(`${MAGIC} ${seeds.join(',')}`);
}

/**
 * Like fakeImage, on a PNG of its own look: photos that differ in their pixels (and so in their
 * perceptual hash), where fakeImage's all share one picture and hash alike.
 */
export async function distinctFakeImage(look: number, ...seeds: number[]): Promise<Buffer> {
  const pixels = Buffer.from(createHash('sha512').update(`look ${look}`).digest().subarray(0, 48));
  const png = await sharp(pixels, { raw: { width: 4, height: 4, channels: 3 } }).resize(16, 16, { kernel: 'nearest' }).png().toBuffer();
  return Buffer.concat([png, Buffer.from(`${MAGIC} ${seeds.join(',')}`, 'latin1')]);
}

/** A PNG carrying any trailer, for malformed cases. */
export function fakeBytes(trailer: string): Buffer {
  return Buffer.concat([PNG, Buffer.from(trailer, 'latin1')]);
}

export function fakeEmbedding(seed: number): Float32Array {
  const bytes = createHash('sha512').update(`seed ${seed}`).digest();
  const v = Float32Array.from({ length: FAKE_DIMENSION }, (_, i) => bytes[i]! / 127.5 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export class FakeFaceEngine implements FaceEngine {
  readonly modelId = 'fake-1';
  readonly dimension = FAKE_DIMENSION;
  analysed = 0;

  async analyse(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<AnalysedImage> {
    this.analysed++;
    const buffer = Buffer.from(bytes);
    if (!buffer.subarray(0, 8).equals(PNG.subarray(0, 8))) throw new LikenessError('LIKENESS_NOT_AN_IMAGE');
    // The seeds follow the PNG's IEND chunk, whichever PNG it is (see distinctFakeImage).
    const end = buffer.indexOf('IEND');
    const text = buffer.subarray(end < 0 ? PNG.length : end + 8).toString('latin1');
    if (!text.startsWith(MAGIC)) throw new LikenessError('LIKENESS_CORRUPT_IMAGE');
    if (text.startsWith(`${MAGIC} HUGE`)) throw new LikenessError('LIKENESS_IMAGE_TOO_LARGE', 'The image has more pixels than the limit');
    const rest = text.slice(MAGIC.length).trim();
    if (rest !== '' && !/^\d+(,\d+)*$/.test(rest)) throw new LikenessError('LIKENESS_CORRUPT_IMAGE');
    const seeds = (rest === '' ? [] : rest.split(',').map(Number)).slice(0, options.maxFaces ?? Infinity);
    const faces: DetectedFace[] = seeds.map((seed, i) => ({
      // The largest face is also the most central, so it is the most prominent too.
      box: { x: 270 + 10 * i, y: 190, width: 100 - i, height: 100 - i },
      detectionScore: 0.99,
      landmarks: [[1, 1], [2, 1], [1.5, 1.5], [1, 2], [2, 2]],
      quality: { size: 100 - i, detectionScore: 0.99, sharpness: 100, yaw: 0, roll: 0 },
      embedding: fakeEmbedding(seed),
    }));
    return { width: 640, height: 480, faces };
  }

  async close(): Promise<void> {}
}
