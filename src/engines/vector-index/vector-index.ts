export type Quantisation = 'f32' | 'f16' | 'i8';

export interface VectorMatch {
  key: number;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/**
 * Approximate or exact nearest-neighbour search over L2-normalised vectors, keyed by the
 * face's vectorKey. Every implementation passes the contract suite in vector-index.contract.ts.
 */
export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  add(keys: readonly number[], vectors: readonly Float32Array[]): void;
  remove(keys: readonly number[]): void;
  has(key: number): boolean;
  search(query: Float32Array, k: number): VectorMatch[];
  /** Many probes at once, off the event loop, on native threads. */
  searchBatch(queries: readonly Float32Array[], k: number): Promise<VectorMatch[][]>;
  save(path: string): void;
  close(): void;
}
