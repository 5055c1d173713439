import type { IndexProfile } from './vector-index.ts';
import type { VectorIndex } from './vector-index.ts';

/** What the index service knows about a persisted index, kept beside its file. */
export interface IndexManifest {
  dimension: number;
  modelId: string;
  /** Every active face with a key up to this one was in the index when it was saved. */
  coveredKey: number;
  /**
   * Every change of the store's face change log up to this one was applied when it was saved;
   * absent from manifests written without a change log.
   */
  coveredSeq?: number;
  size: number;
  savedAt: string;
  /** Faces removed from search whose vectors still sit in the index file until compaction. */
  pendingRemovals: number;
  firstPendingRemovalAt: string | null;
}

/** Persistence of per-gallery indexes: files in the data directory, or memory in tests. */
export interface VectorIndexStore {
  /** A new, empty index built as the profile says (the kind's defaults without one). */
  create(dimension: number, profile?: IndexProfile): VectorIndex;
  /**
   * 'view' memory-maps the file read-only where the index kind allows it. The file keeps the
   * quantisation and graph it was built with; the profile's search settings apply.
   */
  load(galleryId: string, mode?: 'load' | 'view', profile?: IndexProfile): { index: VectorIndex; manifest: IndexManifest } | undefined;
  save(galleryId: string, index: VectorIndex, manifest: IndexManifest): void;
  /** Rewrites the manifest alone, for an index whose file is mapped and cannot be rewritten. */
  saveManifest(galleryId: string, manifest: IndexManifest): void;
  /** Removes the saved index of a gallery, e.g. before a rebuild. */
  drop(galleryId: string): void;
  /** Every file that holds index data, for erasure checks and backups. */
  files(): string[];
}
