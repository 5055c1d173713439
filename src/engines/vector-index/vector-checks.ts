import { LikenessError } from '../../errors.ts';

export function checkDimension(vector: Float32Array, dimension: number): void {
  if (vector.length !== dimension) {
    throw new LikenessError('LIKENESS_INDEX_DIMENSION', `Expected a ${dimension}-d vector, got ${vector.length}-d`);
  }
}

export function checkKey(key: number): void {
  if (!Number.isSafeInteger(key) || key < 0) {
    throw new LikenessError('LIKENESS_BAD_INPUT', `A vector key must be a non-negative integer below 2^53, got ${key}`);
  }
}

export function checkBatch(keys: readonly number[], vectors: readonly Float32Array[], dimension: number): void {
  if (keys.length !== vectors.length) {
    throw new LikenessError('LIKENESS_BAD_INPUT', `${keys.length} keys for ${vectors.length} vectors`);
  }
  for (const key of keys) checkKey(key);
  for (const vector of vectors) checkDimension(vector, dimension);
}

/**
 * Keeps the last vector given for each key, so a batch that names a key twice behaves like two
 * consecutive adds: the later one replaces the earlier.
 */
export function lastPerKey(keys: readonly number[], vectors: readonly Float32Array[]): { keys: number[]; vectors: Float32Array[] } {
  const last = new Map<number, number>();
  keys.forEach((key, i) => last.set(key, i));
  if (last.size === keys.length) return { keys: [...keys], vectors: [...vectors] };
  const out = { keys: [] as number[], vectors: [] as Float32Array[] };
  for (const [key, i] of last) {
    out.keys.push(key);
    out.vectors.push(vectors[i]!);
  }
  return out;
}

/** One contiguous matrix starting at byte 0 of its buffer, as the native kernels require. */
export function packRows(vectors: readonly Float32Array[], dimension: number): Float32Array {
  const matrix = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => matrix.set(v, i * dimension));
  return matrix;
}
