import type { VectorMatch } from './vector-index.ts';

export interface GalleryMatch extends VectorMatch {
  galleryId: string;
}

export interface CompactionPolicy {
  /** Compact once removed faces exceed this fraction of the gallery. */
  maxPendingFraction: number;
  /** Compact once the oldest pending removal is this old. */
  maxPendingAgeMs: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxPendingFraction: 0.1, maxPendingAgeMs: 24 * 3_600_000 };

/** A search over the parts of a sharded index that answered in time. */
export interface AnsweredSearch {
  /** The best matches over the shards that answered, best first, at most k. */
  matches: GalleryMatch[];
  /** Searchable faces of the galleries on the shards that answered: the faces compared. */
  searchedFaces: number;
  /** The shards that did not answer in time, by their stable names; empty when all did. */
  missingShards: string[];
}

/**
 * The vector indexes of the galleries, kept in step with the store of record: embedded index
 * files beside SQLite, or the HNSW index of the faces table in PostgreSQL. Search only chooses
 * candidates; callers re-score them against the stored embeddings. The behaviour every
 * implementation shows is held by gallery-indexes.contract.ts.
 */
export interface GalleryIndexes {
  /**
   * Present where the index lives apart from the store's rows (embedded index files), absent where
   * the store's rows are the index (PostgreSQL: committing a face indexes it). Callers that commit
   * faces tell it, and the owner of the indexes saves and closes it (docs/architecture.md, "Indexes follow the store").
   */
  readonly detached?: DetachedIndexes;
  /** Hides faces just deleted from the store; their bytes leave the disk at compaction. */
  remove(galleryId: string, keys: readonly number[]): Promise<void>;
  /** The best matches over several galleries, best first, at most k. */
  search(galleryIds: readonly string[], query: Float32Array, k: number): Promise<GalleryMatch[]>;
  /**
   * Present where the faces are spread over shards that can fail one by one (PostgreSQL through a
   * coordinator): searches and counts each shard on its own, within a time limit, and answers from
   * those that answered, naming the others. Fails only when no shard answers.
   */
  searchAnswering?(galleryIds: readonly string[], query: Float32Array, k: number): Promise<AnsweredSearch>;
  /** Searchable faces of a gallery; opens its index if it is not open yet. */
  size(galleryId: string): Promise<number>;
  /** Whether compacting the gallery costs about a save, so an erasure may compact it before returning. */
  compactsCheaply(galleryId: string): Promise<boolean>;
  /** Galleries whose removed vectors are due to leave the disk under the policy. */
  dueForCompaction(galleryIds: readonly string[], policy?: CompactionPolicy): Promise<string[]>;
  /** Makes the bytes of the gallery's removed faces leave every file of the store; returns its size. */
  compact(galleryId: string): Promise<number>;
  /** Builds the gallery's index anew from the stored embeddings; returns its size. */
  rebuild(galleryId: string, onProgress?: (done: number, total: number) => void): Promise<number>;
}

/** What an index kept apart from the store must also be given: the faces committed, a save, a close. */
export interface DetachedIndexes {
  /** Makes faces just committed to the store searchable in this process. */
  add(galleryId: string, keys: readonly number[], vectors: readonly Float32Array[]): Promise<void>;
  /** Persists what is not persisted yet (all galleries, or one). */
  save(galleryId?: string): Promise<void>;
  close(): void;
}
