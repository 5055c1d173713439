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

/**
 * How one gallery's vectors are indexed. Quantisation and graph shape are fixed when an index is
 * built (a change applies at the next rebuild or compaction); ef_search applies whenever the
 * index is opened.
 */
export interface IndexProfile {
  quantisation: Quantisation;
  /** HNSW M. */
  connectivity: number;
  /** ef_construction. */
  expansionAdd: number;
  /** ef_search: the recall/speed dial. */
  expansionSearch: number;
  /** Gallery size from which HNSW answers instead of the exact scan. */
  cutover: number;
}
