import { mkdirSync } from 'node:fs';
import type { Config } from './config.ts';
import type { FaceEngine } from './engines/face/face-engine.ts';
import { createFaceEngine, type FaceEngineMode } from './engines/face/create-face-engine.ts';
import { openBackend } from './open-backend.ts';
import type { Store } from './repositories/store.ts';
import { CatalogueService } from './services/catalogue-service.ts';
import { compactAfterErasure } from './services/erasure/compact-after-erasure.ts';
import { ErasureService, type CompactionScheduler } from './services/erasure/erasure-service.ts';
import { FaceService } from './services/face-service.ts';
import type { GalleryIndexes } from './services/ports/gallery-indexes.ts';
import { IngestService } from './services/ingest-service.ts';
import { systemClock } from './services/ports/clock.ts';
import { randomIds } from './services/ports/ids.ts';
import { SearchService } from './services/search-service.ts';
import { OnnxAgeEstimator } from './engines/age/onnx-age-estimator.ts';
import { ImageFaceAges } from './engines/age/image-face-ages.ts';
import { DEFAULT_DECODE_LIMITS } from './engines/face/decode.ts';
import { AuditService } from './services/audit/audit-service.ts';
import { PolicyCollectionGate } from './services/collection/policy-collection-gate.ts';
import { loadPolicy, type LoadedPolicy } from './services/policy/load-policy.ts';
import { PolicyService } from './services/policy/policy-service.ts';
import type { CollectionGate } from './services/ports/collection-gate.ts';
import { SourceLifecycle } from './services/sources/source-lifecycle.ts';
import { SuppressionFilter } from './services/suppression/suppression-filter.ts';
import { SuppressionGate } from './services/suppression/suppression-gate.ts';
import { SuppressionList } from './services/suppression/suppression-list.ts';

/** The wired application: one store, one face engine, the services on top. */
export interface Likeness {
  config: Config;
  store: Store;
  catalogue: CatalogueService;
  /** The policy read once at start: every decision of this process goes through it. */
  policy: PolicyService;
  loadedPolicy: LoadedPolicy;
  audit: AuditService;
  sources: SourceLifecycle;
  /** Templates of people who objected or were erased: no ingestion keeps, no search returns, their faces. */
  suppression: SuppressionList;
  /** The collection rules every ingestion path applies before anything is stored. */
  collectionGates(): Promise<CollectionGate[]>;
  /** Loads the models on first use: commands that need no face engine never pay for it. */
  engine(): Promise<FaceEngine>;
  indexes(): Promise<GalleryIndexes>;
  ingest(): Promise<IngestService>;
  search(): Promise<SearchService>;
  faces(): Promise<FaceService>;
  /** The one way faces are erased: operator deletion, subject erasure, objection, retention. */
  erasure(): Promise<ErasureService>;
  /** Decides when erased vectors leave the index files (see compactAfterErasure). */
  compaction: CompactionScheduler;
  /** Compacts the indexes that the compaction policy says are due; returns their gallery ids. */
  compactDue(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  create?: boolean;
  policyFile?: string;
  /** 'view' memory-maps saved indexes: for processes that mostly search (serve, search). */
  indexes?: 'load' | 'view';
  /** 'in-process' for one-shot commands (search, compare); default 'pool'. */
  engine?: FaceEngineMode;
}

export async function openLikeness(config: Config, options: OpenOptions = {}): Promise<Likeness> {
  // Before the store opens, so a bad policy file stops the process before anything is touched.
  const loadedPolicy = loadPolicy({ dataDir: config.dataDir, file: options.policyFile });
  const policy = new PolicyService(loadedPolicy.policy, systemClock);
  if (options.create) mkdirSync(config.indexDir, { recursive: true });
  const backend = await openBackend(config, { create: options.create ?? false, indexes: options.indexes });
  const store = backend.store;
  const catalogue = new CatalogueService(store, systemClock, randomIds, config.retention.maxDays, policy);
  const audit = new AuditService(store.accounts, systemClock);
  const suppression = new SuppressionList(store.rights.suppression, config.search.threshold);

  let engine: Promise<FaceEngine> | undefined;
  let indexes: Promise<GalleryIndexes> | undefined;
  const getEngine = () => (engine ??= createFaceEngine(config, options.engine));
  const getIndexes = () => (indexes ??= getEngine().then((e) => backend.indexes({ dimension: e.dimension, modelId: e.modelId })));
  // The age model runs only when the policy keeps minors out, and is opened on first need.
  let ages: Promise<OnnxAgeEstimator> | undefined;
  const getGates = async (): Promise<CollectionGate[]> => {
    const estimator = policy.needsAgeEstimate ? await (ages ??= OnnxAgeEstimator.open()) : undefined;
    const faceAges = estimator && new ImageFaceAges(estimator, { ...DEFAULT_DECODE_LIMITS, maxBytes: config.limits.maxImageBytes, maxPixels: config.limits.maxPixels });
    return [new PolicyCollectionGate(policy, loadedPolicy.sha256, faceAges), new SuppressionGate(suppression)];
  };
  const getFaces = async () => new FaceService(store, await getIndexes());
  const compactDue = async (): Promise<string[]> => {
    const service = await getIndexes();
    const galleries = (await store.galleries.list()).map((g) => g.id);
    const due = await service.dueForCompaction(galleries, {
      maxPendingFraction: config.compaction.maxPendingFraction,
      maxPendingAgeMs: config.compaction.maxPendingHours * 3_600_000,
    });
    for (const id of due) await service.compact(id);
    return due;
  };
  const compaction = compactAfterErasure(getIndexes, compactDue);
  const getErasure = async () => new ErasureService(store, getFaces, audit, compaction, systemClock, randomIds);

  return {
    config,
    store,
    catalogue,
    policy,
    loadedPolicy,
    audit,
    suppression,
    sources: new SourceLifecycle(store, policy, audit, getErasure, config.retention.maxDays),
    collectionGates: getGates,
    engine: getEngine,
    indexes: getIndexes,
    ingest: async () => new IngestService(await getEngine(), store, catalogue, await getIndexes(), systemClock, randomIds, config.workers * 2, await getGates()),
    search: async () => new SearchService(await getEngine(), store, await getIndexes(), config.search, [new SuppressionFilter(suppression)]),
    faces: getFaces,
    erasure: getErasure,
    compaction,
    compactDue,
    close: async () => {
      if (indexes) {
        const service = await indexes;
        await service.save();
        service.close();
      }
      if (engine) await (await engine).close();
      if (ages) await (await ages).close();
      await store.close();
    },
  };
}
