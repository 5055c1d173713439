import type { FaceRecord, Gallery, ImageRecord, Source } from '../domain/types.ts';
import type { AccountsStore } from './accounts-store.ts';
import type { CasesStore } from './cases-store.ts';
import type { RightsStore } from './rights-store.ts';

export interface NewFace extends Omit<FaceRecord, 'vectorKey'> {
  embedding: Float32Array;
}

/** What a search result needs to show about a face: where it came from. */
export interface FaceProvenance {
  face: FaceRecord;
  image: ImageRecord;
  source: Source;
}

export interface StoredEmbedding {
  vectorKey: number;
  embedding: Float32Array;
}

export interface GalleryRepository {
  create(gallery: Gallery): Promise<void>;
  findByName(name: string): Promise<Gallery | undefined>;
  findById(id: string): Promise<Gallery | undefined>;
  list(): Promise<Gallery[]>;
}

export interface SourceRepository {
  create(source: Source): Promise<void>;
  findByName(name: string): Promise<Source | undefined>;
  findById(id: string): Promise<Source | undefined>;
  list(): Promise<Source[]>;
  /** Replaces the declaration of the source with this id (name and id stay). */
  update(source: Source): Promise<void>;
}

export interface ImageRepository {
  findBySha256(sourceId: string, sha256: string): Promise<ImageRecord | undefined>;
  /** Stores an image with all its faces atomically; returns the faces' vector keys in order. */
  insertWithFaces(image: ImageRecord, faces: NewFace[]): Promise<number[]>;
  count(): Promise<number>;
}

export interface FaceRepository {
  findById(id: string): Promise<FaceRecord | undefined>;
  findByImage(imageId: string): Promise<FaceRecord[]>;
  /** Active faces only, in the order of the keys asked for; unknown or deleted keys are left out. */
  provenanceByVectorKeys(keys: readonly number[]): Promise<FaceProvenance[]>;
  embeddingsByVectorKeys(keys: readonly number[]): Promise<StoredEmbedding[]>;
  /** Streams the active embeddings of a gallery in key order (after a key, if given), for index rebuilds and catch-up. */
  streamEmbeddings(galleryId: string, options?: { afterKey?: number; batchSize?: number }): AsyncIterable<StoredEmbedding[]>;
  countActive(galleryId?: string): Promise<number>;
  /** Ids of the active faces found in the images of one source. */
  activeIdsBySource(sourceId: string): Promise<string[]>;
  maxVectorKey(galleryId: string): Promise<number>;
  /** Deletes faces and their embeddings; returns the vector keys that were removed. */
  deleteByIds(ids: readonly string[]): Promise<number[]>;
}

/** Every repository of the store: outside a transaction each call commits on its own; inside, with the rest of the unit. */
export interface StoreRepositories {
  readonly galleries: GalleryRepository;
  readonly sources: SourceRepository;
  readonly images: ImageRepository;
  readonly faces: FaceRepository;
  /** Clients, users, keys, searches and the audit chain. */
  readonly accounts: AccountsStore;
  /** Subject requests, the suppression list and the erasure ledger. */
  readonly rights: RightsStore;
  /** Lead reviews, watches, their hits and alerts; faces listed by origin. */
  readonly cases: CasesStore;
}

export interface Store extends StoreRepositories {
  /**
   * Runs `work` as one write transaction over every table: all its writes commit together or
   * none does, whatever kills the process in between (docs/architecture.md, "Store-wide
   * transactions"). It holds the store's write lock from its first statement, so units of work
   * of several processes never interleave: the audit chain's last hash read inside one is still
   * the last when it appends. `work` must use `tx` only; the store itself waits for the commit.
   */
  transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /**
   * Writes committed changes to the store's own files and frees the space of deleted rows.
   * SQLite: moves the WAL into the main file, so that deleted bytes leave the WAL too.
   * PostgreSQL: VACUUM of the tables that lose rows, then CHECKPOINT.
   */
  checkpoint(): Promise<void>;
  /** A consistent copy of the store, taken while it stays in use (SQLite: a database file; PostgreSQL: a pg_dump archive). */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}
