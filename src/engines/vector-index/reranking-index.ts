import { LikenessError } from '../../errors.ts';
import { checkDimension } from './vector-checks.ts';
import type { VectorIndex, VectorMatch } from '../../ports/vector-index.ts';

/** Full-precision vectors of the given keys, in order; undefined for a key the store no longer has. */
export type VectorsOf = (keys: readonly number[]) => readonly (Float32Array | undefined)[];

export interface RerankingOptions {
  vectorsOf: VectorsOf;
  /** Candidates fetched per result wanted: k x multiplier. */
  multiplier?: number;
}

/**
 * Lets a quantised index choose candidates and the store of record decide: the inner index
 * returns k x multiplier candidates, which are re-scored against their full-precision vectors,
 * so the scores a caller compares with its threshold are exact cosines and the order is exact
 * within the candidate set. A candidate whose vector the store no longer has is dropped.
 */
export class RerankingIndex implements VectorIndex {
  readonly inner: VectorIndex;
  readonly multiplier: number;
  private readonly vectorsOf: VectorsOf;

  constructor(inner: VectorIndex, options: RerankingOptions) {
    this.inner = inner;
    this.vectorsOf = options.vectorsOf;
    this.multiplier = options.multiplier ?? 3;
    if (!(this.multiplier >= 1)) throw new LikenessError('LIKENESS_BAD_INPUT', 'The re-ranking multiplier must be at least 1');
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  get size(): number {
    return this.inner.size;
  }

  add(keys: readonly number[], vectors: readonly Float32Array[]): void {
    this.inner.add(keys, vectors);
  }

  remove(keys: readonly number[]): void {
    this.inner.remove(keys);
  }

  has(key: number): boolean {
    return this.inner.has(key);
  }

  search(query: Float32Array, k: number): VectorMatch[] {
    checkDimension(query, this.dimension);
    return this.rerank(query, this.inner.search(query, this.candidates(k)), k);
  }

  async searchBatch(queries: readonly Float32Array[], k: number): Promise<VectorMatch[][]> {
    const candidates = await this.inner.searchBatch(queries, this.candidates(k));
    return candidates.map((matches, i) => this.rerank(queries[i]!, matches, k));
  }

  save(path: string): void {
    this.inner.save(path);
  }

  close(): void {
    this.inner.close();
  }

  private candidates(k: number): number {
    return Math.max(k, Math.ceil(k * this.multiplier));
  }

  private rerank(query: Float32Array, candidates: readonly VectorMatch[], k: number): VectorMatch[] {
    if (candidates.length === 0 || k <= 0) return [];
    const vectors = this.vectorsOf(candidates.map((m) => m.key));
    const queryNorm = Math.sqrt(dot(query, query));
    const rescored: VectorMatch[] = [];
    candidates.forEach((m, i) => {
      const v = vectors[i];
      if (!v) return;
      checkDimension(v, this.dimension);
      rescored.push({ key: m.key, score: dot(query, v) / (queryNorm * Math.sqrt(dot(v, v)) || 1) });
    });
    return rescored.sort((a, b) => b.score - a.score || a.key - b.key).slice(0, k);
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (let i = n; i < a.length; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}
