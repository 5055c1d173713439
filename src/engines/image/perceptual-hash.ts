import { loadSharp } from './load-sharp.ts';

/**
 * 64-bit difference hash (dHash): a grey 9x8 thumbnail, one bit per horizontal gradient.
 * Near-duplicates (recompressed, resized copies) land within a few bits of each other.
 */
export async function perceptualHash(bytes: Uint8Array): Promise<string> {
  // Loaded on first use: the command-line program imports this module for commands that never hash.
  const sharp = await loadSharp();
  const pixels = await sharp(bytes, { failOn: 'none' }).rotate().greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      hash = (hash << 1n) | (pixels[y * 9 + x]! < pixels[y * 9 + x + 1]! ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, '0');
}

export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}
