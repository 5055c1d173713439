import { addInSlices } from './slices.ts';
import type { VectorIndex } from '../../ports/vector-index.ts';

/** One live face as the store of record streams it (the shape of the store's StoredEmbedding). */
export interface KeyedVector {
  vectorKey: number;
  embedding: Float32Array;
}

export type LiveVectors = Iterable<readonly KeyedVector[]> | AsyncIterable<readonly KeyedVector[]>;

/**
 * Compaction: builds `fresh` (an empty index) from the live vectors only and saves it atomically
 * over `path`. Removal in an HNSW index only hides an entry, leaving its bytes in memory and in
 * every later save; after this, the saved file holds no byte of anything removed. The caller
 * swaps the returned index in and closes the old one. Adds run in time-boxed slices, so the
 * event loop keeps serving (from the old index) meanwhile.
 */
export async function compactIndex<T extends VectorIndex>(fresh: T, live: LiveVectors, path: string): Promise<T> {
  for await (const batch of live) {
    await addInSlices(fresh, batch.map((v) => v.vectorKey), batch.map((v) => v.embedding));
  }
  fresh.save(path);
  return fresh;
}
