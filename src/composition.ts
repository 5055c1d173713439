import { mkdirSync } from 'node:fs';
import type { Config } from './config.ts';
import type { FaceEngine } from './engines/face/face-engine.ts';
import { createFaceEngine } from './engines/face/create-face-engine.ts';
import { defaultIndexCodec } from './repositories/files/default-index-codec.ts';
import { FileVectorIndexStore } from './repositories/files/file-vector-index-store.ts';
import { SqliteStore } from './repositories/sqlite/sqlite-store.ts';
import type { Store } from './repositories/store.ts';
import { CatalogueService } from './services/catalogue-service.ts';
import { FaceService } from './services/face-service.ts';
import { IndexService } from './services/index-service.ts';
import { IngestService } from './services/ingest-service.ts';
import { systemClock } from './services/ports/clock.ts';
import { randomIds } from './services/ports/ids.ts';
import { SearchService } from './services/search-service.ts';

/** The wired application: one store, one face engine, the services on top. */
export interface Likeness {
  config: Config;
  store: Store;
  catalogue: CatalogueService;
  /** Loads the models on first use: commands that need no face engine never pay for it. */
  engine(): Promise<FaceEngine>;
  indexes(): Promise<IndexService>;
  ingest(): Promise<IngestService>;
  search(): Promise<SearchService>;
  faces(): Promise<FaceService>;
  /** Compacts the indexes that the compaction policy says are due; returns their gallery ids. */
  compactDue(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openLikeness(config: Config, options: { create?: boolean } = {}): Promise<Likeness> {
  if (options.create) mkdirSync(config.indexDir, { recursive: true });
  const store = await SqliteStore.open(config.storeFile, { create: options.create ?? false });
  const catalogue = new CatalogueService(store, systemClock, randomIds, config.retention.maxDays);

  let engine: Promise<FaceEngine> | undefined;
  let indexes: Promise<IndexService> | undefined;
  const getEngine = () => (engine ??= createFaceEngine(config));
  const getIndexes = () => (indexes ??= getEngine().then((e) =>
    new IndexService(store, new FileVectorIndexStore(config.indexDir, defaultIndexCodec), systemClock, { dimension: e.dimension, modelId: e.modelId })));

  return {
    config,
    store,
    catalogue,
    engine: getEngine,
    indexes: getIndexes,
    ingest: async () => new IngestService(await getEngine(), store, catalogue, await getIndexes(), systemClock, randomIds, config.workers * 2),
    search: async () => new SearchService(await getEngine(), store, await getIndexes(), config.search),
    faces: async () => new FaceService(store, await getIndexes()),
    compactDue: async () => {
      const service = await getIndexes();
      const galleries = (await store.galleries.list()).map((g) => g.id);
      const due = await service.dueForCompaction(galleries, {
        maxPendingFraction: config.compaction.maxPendingFraction,
        maxPendingAgeMs: config.compaction.maxPendingHours * 3_600_000,
      });
      for (const id of due) await service.compact(id);
      return due;
    },
    close: async () => {
      if (indexes) {
        const service = await indexes;
        await service.save();
        service.close();
      }
      if (engine) await (await engine).close();
      await store.close();
    },
  };
}
