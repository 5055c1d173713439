import type { Box } from '../../domain/types.ts';

/** dHash bits two copies of one photo may differ by (recompressed, resized, lightly edited). */
export const NEAR_DUPLICATE_BITS = 5;

/** The same face in two copies of one photo embeds almost alike; two people in look-alike photos do not. */
export const SAME_FACE_COSINE = 0.9;

export interface Copy {
  image: { id: string; sha256: string; perceptualHash: string; width: number; height: number };
  box: Box;
  embedding: Float32Array;
}

/**
 * docs/architecture.md, "Duplicates collapse": one reposted photo must not fill the top-k. Walks
 * the candidates best first; a candidate whose image has the same SHA-256 as, or a dHash within
 * NEAR_DUPLICATE_BITS of, a kept candidate's image, with the face at the same place in it and
 * embedding alike, joins that candidate's copies. Faces of one image never collapse: they are
 * different people.
 */
export function collapseDuplicates<T extends Copy>(ranked: readonly T[]): Array<{ kept: T; copies: T[] }> {
  const groups: Array<{ kept: T; copies: T[] }> = [];
  for (const c of ranked) {
    const group = groups.find((g) => sameFaceCopied(g.kept, c));
    if (group) group.copies.push(c);
    else groups.push({ kept: c, copies: [] });
  }
  return groups;
}

function sameFaceCopied(a: Copy, b: Copy): boolean {
  if (a.image.id === b.image.id) return false;
  const sameBytes = a.image.sha256 === b.image.sha256;
  const nearly = !sameBytes && hamming(a.image.perceptualHash, b.image.perceptualHash) <= NEAR_DUPLICATE_BITS;
  return (sameBytes || nearly) && relativeOverlap(a, b) >= 0.5 && cosine(a.embedding, b.embedding) >= SAME_FACE_COSINE;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Intersection over union of the two boxes, each as fractions of its own image. */
function relativeOverlap(a: Copy, b: Copy): number {
  const r = (c: Copy) => ({
    x1: c.box.x / c.image.width, y1: c.box.y / c.image.height,
    x2: (c.box.x + c.box.width) / c.image.width, y2: (c.box.y + c.box.height) / c.image.height,
  });
  const p = r(a);
  const q = r(b);
  const w = Math.max(0, Math.min(p.x2, q.x2) - Math.max(p.x1, q.x1));
  const h = Math.max(0, Math.min(p.y2, q.y2) - Math.max(p.y1, q.y1));
  const inter = w * h;
  const union = (p.x2 - p.x1) * (p.y2 - p.y1) + (q.x2 - q.x1) * (q.y2 - q.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Bits that differ between two hex hashes; hashes that cannot be read are never near. */
export function hamming(a: string, b: string): number {
  if (!/^[0-9a-f]{1,16}$/i.test(a) || !/^[0-9a-f]{1,16}$/i.test(b)) return 64;
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}
