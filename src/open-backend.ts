import type { Config } from './config.ts';
import { IndexProfiles } from './engines/vector-index/index-profile.ts';
import { LikenessError } from './errors.ts';
import { defaultIndexCodec } from './repositories/files/default-index-codec.ts';
import { FileVectorIndexStore, type VectorIndexCodec } from './repositories/files/file-vector-index-store.ts';
import { SqliteStore } from './repositories/sqlite/sqlite-store.ts';
import type { Store } from './ports/store.ts';
import { IndexService } from './engines/vector-index/embedded-gallery-indexes.ts';
import type { Clock } from './ports/clock.ts';
import type { GalleryIndexes } from './ports/gallery-indexes.ts';

/** The store of record and the gallery indexes that go with it. */
export interface Backend {
  store: Store;
  /** The indexes for the face engine's embeddings, opened once the engine is known. */
  indexes(model: { dimension: number; modelId: string }): Promise<GalleryIndexes>;
}

/** How embedded index files are made and read. */
export type IndexFiles = VectorIndexCodec;

export interface BackendOptions {
  create: boolean;
  clock: Clock;
  /** The embedded indexes' codec; the adaptive exact/HNSW index by default. */
  files?: IndexFiles;
  /** 'view' memory-maps saved embedded indexes; PostgreSQL has no files of its own to map. */
  indexes?: 'load' | 'view';
  /**
   * The process only reads (and audits what it read): it collects and erases nothing, so it may
   * open a PostgreSQL server that cannot erase physically. Every other process refuses to.
   */
  readOnly?: boolean;
}

/** SQLite with embedded index files in the data directory, or PostgreSQL whose HNSW index is the index. */
export async function openBackend(config: Config, options: BackendOptions): Promise<Backend> {
  const profiles = new IndexProfiles(config.index.default, config.index.galleries);
  if (config.store.kind === 'postgres') {
    // Loaded only for PostgreSQL, so a SQLite process starts without the pg driver.
    const [{ describeUrl }, { PgvectorGalleryIndexes }, { PostgresStore }] = await Promise.all([
      import('./repositories/postgres/connection-pool.ts'),
      import('./repositories/postgres/pgvector-gallery-indexes.ts'),
      import('./repositories/postgres/postgres-store.ts'),
    ]);
    const store = await PostgresStore.open(config.store.url, { create: options.create });
    if (!options.readOnly) {
      await store.requirePhysicalErasure().catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
    }
    const where = describeUrl(config.store.url);
    return {
      store,
      indexes: async (model) => {
        if (model.dimension !== store.dimension) {
          throw new LikenessError('LIKENESS_INDEX_DIMENSION',
            `The face model embeds in ${model.dimension} dimensions, the PostgreSQL store at ${where} holds ${store.dimension}`);
        }
        return PgvectorGalleryIndexes.open(store, options.clock, { profiles, shardTimeoutMs: config.search.shardTimeoutMs });
      },
    };
  }
  const store = await SqliteStore.open(config.storeFile, { create: options.create });
  return {
    store,
    indexes: async (model) => new IndexService(store, new FileVectorIndexStore(config.indexDir, options.files ?? defaultIndexCodec), options.clock, model, {
      open: options.indexes,
      profiles,
      changes: store.faceChanges,
    }),
  };
}
