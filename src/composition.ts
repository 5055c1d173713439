import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PROJECT_ROOT, type Config } from './config.ts';
import type { Policy } from './services/policy/policy.ts';
import type { FaceEngine } from './ports/face-engine.ts';
import { createFaceEngine, mergeModelConfig, type FaceEngineMode } from './engines/face/create-face-engine.ts';
import { defaultFaceModelConfig } from './engines/face/model-config.ts';
import { ageModelId, OnnxAgeEstimator } from './engines/age/onnx-age-estimator.ts';
import { defaultAgeModel } from './engines/age/age-model-file.ts';
import { ImageFaceAges } from './engines/age/image-face-ages.ts';
import { DEFAULT_DECODE_LIMITS } from './engines/face/decode.ts';
import { EngineSelfieAnalyser } from './engines/liveness/engine-selfie-analyser.ts';
import type { LivenessDetector } from './ports/liveness-detector.ts';
import { OnnxLivenessDetector } from './engines/liveness/onnx-liveness.ts';
import { buildCasework, type Casework } from './composition-cases.ts';
import { openBackend, type IndexFiles } from './open-backend.ts';
import { confinedFiles } from './repositories/files/confined-files.ts';
import { confinedImageFinder, readImageFile } from './repositories/files/directory-image-finder.ts';
import type { ImageFile } from './ports/image-files.ts';
import { sharpImageTools } from './engines/image/sharp-image-tools.ts';
import { AuditAnchorFile } from './repositories/files/audit-anchor-file.ts';
import { loadFmrTable } from './repositories/files/fmr-table-file.ts';
import { refuseUnfinishedRestore } from './repositories/files/restore-journal.ts';
import type { Store } from './ports/store.ts';
import { AccountsService } from './services/accounts/accounts-service.ts';
import { Authenticator } from './services/accounts/authenticator.ts';
import { CredentialsService } from './services/accounts/credentials.ts';
import { SignInService } from './services/accounts/sign-in.ts';
import { CatalogueAdmin } from './services/admin/catalogue-admin.ts';
import { FaceAdmin } from './services/admin/face-admin.ts';
import { AuditService } from './services/audit/audit-service.ts';
import { Authoriser } from './services/authorisation/authoriser.ts';
import { AccountsAdmin } from './services/admin/accounts-admin.ts';
import { CatalogueService } from './services/catalogue-service.ts';
import { PolicyCollectionGate } from './services/collection/policy-collection-gate.ts';
import { DetectionService } from './services/detections/detection-service.ts';
import { compactAfterErasure } from './services/erasure/compact-after-erasure.ts';
import { ErasureService, type CompactionScheduler } from './services/erasure/erasure-service.ts';
import { FaceService } from './services/face-service.ts';
import { FaceViews } from './services/faces/face-views.ts';
import { FacesByOrigin } from './services/faces/faces-by-origin.ts';
import { GalleryAccess } from './services/faces/gallery-access.ts';
import { IngestService } from './services/ingest-service.ts';
import { loadPolicy, type LoadedPolicy } from './services/policy/load-policy.ts';
import { PolicyService } from './services/policy/policy-service.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { CollectionGate } from './ports/collection-gate.ts';
import type { GalleryIndexes } from './ports/gallery-indexes.ts';
import { randomIds, type IdGenerator } from './ports/ids.ts';
import { systemRandom, type RandomBytes } from './ports/random-bytes.ts';
import type { SelfieAnalyser } from './ports/selfie-analyser.ts';
import type { Webhooks } from './ports/webhooks.ts';
import { RetentionService } from './services/retention/retention-service.ts';
import { FalseMatchRate } from './services/scores/false-match-rate.ts';
import type { FmrTable } from './ports/fmr-table.ts';
import { strictThreshold, type StrictThreshold } from './services/scores/strict-threshold.ts';
import { SearchService } from './services/search-service.ts';
import { AccountableSearchService } from './services/searches/accountable-search-service.ts';
import { SearchAdmission } from './services/searches/search-admission.ts';
import { SourceLifecycle } from './services/sources/source-lifecycle.ts';
import { AccessReportBuilder } from './services/subjects/access-report.ts';
import { RecordsOfProcessingService } from './services/subjects/records-of-processing.ts';
import { SubjectIntake } from './services/subjects/subject-intake.ts';
import { SubjectMatcher } from './services/subjects/subject-matcher.ts';
import { SubjectRequestService } from './services/subjects/subject-requests.ts';
import { SuppressionFilter } from './services/suppression/suppression-filter.ts';
import { SuppressionGate } from './services/suppression/suppression-gate.ts';
import { SuppressionList } from './services/suppression/suppression-list.ts';
import { TransparencyService } from './services/transparency/transparency-service.ts';
import { UploadService } from './services/uploads/upload-service.ts';

/** The liveness class score at which a selfie passes; below it the DPO must state why they approve. */
export const LIVENESS_THRESHOLD = 0.5;

/** The services behind the rights of the people in the galleries. */
export interface Rights {
  intake: SubjectIntake;
  requests: SubjectRequestService;
  retention: RetentionService;
  records: RecordsOfProcessingService;
  strict: StrictThreshold;
}

/**
 * The wired application (docs/architecture.md, "One composition root"): the CLI, the HTTP
 * server, the benchmarks and the tests all get theirs from buildLikeness, so a rule wired here
 * holds on every path. The edges call the use cases; the raw search never leaves this file.
 */
export interface Likeness extends Casework {
  config: Config;
  /** The policy read once at start: every decision of this process goes through it. */
  policy: PolicyService;
  loadedPolicy: LoadedPolicy;
  /** For maintenance commands (backup, restore, index) and benchmarks; use cases go through the services. */
  store: Store;
  catalogue: CatalogueService;
  catalogueAdmin: CatalogueAdmin;
  audit: AuditService;
  /** The one decision on every read and write of a face, image, report or search record. */
  authoriser: Authoriser;
  accounts: AccountsService;
  /** Accounts as an admin manages them over HTTP: authorised per actor, audited. */
  accountsAdmin: AccountsAdmin;
  authenticator: Authenticator;
  /** People's passwords and second factors. */
  credentials: CredentialsService;
  /** People's sessions: sign-in with a password and a second factor, the cookie, sign-out. */
  signIn: SignInService;
  sources: SourceLifecycle;
  /** Accountable search and 1:1 comparison: every call names its actor, is checked by the policy and audited. */
  searches: AccountableSearchService;
  detections: DetectionService;
  faceViews: FaceViews;
  faces: FaceAdmin;
  /** Faces listed, and taken down, by the source, page or image URL they were collected from. */
  facesByOrigin: FacesByOrigin;
  uploads: UploadService;
  transparency: TransparencyService;
  rights: Rights;
  /** The one way faces are erased: operator deletion, subject erasure, objection, retention. */
  erasure: ErasureService;
  /** Templates of people who objected or were erased: no ingestion keeps, no search returns, their faces. */
  suppression: SuppressionList;
  fmr: FalseMatchRate;
  /** Photos on this machine's disk: a probe to read, a source's folder to list. */
  imageFiles: {
    /** A photo the local operator names (a probe): a regular file, read no further than the image size limit. */
    read(path: string): Promise<Uint8Array>;
    /** The images of `folder`, whose real path must stay inside a directory source's declared folder `root` (docs/architecture.md, "Paths"). */
    list(root: string, folder: string): Promise<ImageFile[]>;
  };
  /** The collection rules every ingestion path applies before anything is stored. */
  collectionGates(): Promise<CollectionGate[]>;
  /** Loads the models on first use: commands that need no face engine never pay for it. */
  engine(): Promise<FaceEngine>;
  indexes(): Promise<GalleryIndexes>;
  ingest(): Promise<IngestService>;
  faceRecords(): Promise<FaceService>;
  /** Decides when erased vectors leave the index files (see compactAfterErasure). */
  compaction: CompactionScheduler;
  /** Compacts the indexes that the compaction policy says are due; returns their gallery ids. */
  compactDue(): Promise<string[]>;
  close(): Promise<void>;
}

export interface BuildOptions {
  create?: boolean;
  policyFile?: string;
  /** 'view' memory-maps saved indexes: for processes that mostly search (serve, search). */
  indexes?: 'load' | 'view';
  /** Replacements for the edges likeness does not own, for tests and benchmarks. */
  overrides?: Overrides;
  /** 'in-process' for one-shot commands (search, compare); default 'pool'. */
  engine?: FaceEngineMode;
  /** A command that collects and erases nothing (see BackendOptions.readOnly). */
  readOnly?: boolean;
  /** The end of a restore, the one thing that may open a store whose restore is not finished. */
  finishingRestore?: boolean;
}

export interface Overrides {
  clock?: Clock;
  ids?: IdGenerator;
  random?: RandomBytes;
  /** A policy instead of the data directory's file. */
  policy?: Policy;
  engine?: () => Promise<FaceEngine>;
  /** How embedded index files are made and read (e.g. exact search only). */
  indexFiles?: IndexFiles;
  selfies?: SelfieAnalyser;
  fmrTable?: FmrTable;
  /** Collection rules instead of the policy's. */
  gates?: (policy: PolicyService) => CollectionGate[];
  /** Where watch alerts are sent. */
  webhooks?: Webhooks;
}

export async function buildLikeness(config: Config, options: BuildOptions = {}): Promise<Likeness> {
  const o = options.overrides ?? {};
  const clock = o.clock ?? systemClock;
  const ids = o.ids ?? randomIds;
  const random = o.random ?? systemRandom;
  // Before the store opens, so a bad policy file stops the process before anything is touched.
  const loadedPolicy: LoadedPolicy = o.policy ? { policy: o.policy, file: null, sha256: createHash('sha256').update(JSON.stringify(o.policy)).digest('hex') } : loadPolicy({ dataDir: config.dataDir, file: options.policyFile });
  const policy = new PolicyService(loadedPolicy.policy, clock);
  if (!options.finishingRestore) refuseUnfinishedRestore(config.dataDir);
  if (options.create) mkdirSync(config.indexDir, { recursive: true });
  const backend = await openBackend(config, { create: options.create ?? false, indexes: options.indexes, files: o.indexFiles, clock, readOnly: options.readOnly });
  const store = backend.store;
  const audit = new AuditService(store, clock, new AuditAnchorFile(config.dataDir));
  const catalogue = new CatalogueService(store, clock, ids, config.retention.maxDays, policy, confinedFiles);
  const suppression = new SuppressionList(store.rights.suppression, config.search.threshold);
  const authoriser = new Authoriser(policy, new GalleryAccess(store, policy), audit);
  const admission = new SearchAdmission(store, policy, authoriser, clock, ids);

  let engine: Promise<FaceEngine> | undefined;
  let indexes: Promise<GalleryIndexes> | undefined;
  const getEngine = () => (engine ??= o.engine ? o.engine() : createFaceEngine(config, options.engine, { ages: policy.needsAgeEstimate }));
  const getIndexes = () => (indexes ??= getEngine().then((e) => backend.indexes({ dimension: e.dimension, modelId: e.modelId })));
  // The age model runs only when the policy keeps minors out, and is opened on first need.
  let ages: Promise<OnnxAgeEstimator> | undefined;
  const getGates = async (): Promise<CollectionGate[]> => {
    if (o.gates) return o.gates(policy);
    // The engine's workers estimate ages at ingestion; this one opens only for an engine that gives none.
    const faceAges = policy.needsAgeEstimate ? new ImageFaceAges(() => (ages ??= OnnxAgeEstimator.open()), ageModelId(defaultAgeModel()),
      { ...DEFAULT_DECODE_LIMITS, maxBytes: config.limits.maxImageBytes, maxPixels: config.limits.maxPixels }) : undefined;
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
  const erasure = new ErasureService(store, getIndexes, audit, compaction, clock, ids);
  const rawSearch = async () => new SearchService(await getEngine(), store, await getIndexes(), config.search, [new SuppressionFilter(suppression)]);

  const modelId = mergeModelConfig(defaultFaceModelConfig(PROJECT_ROOT), config.models).modelId;
  const fmrTable = o.fmrTable ?? loadFmrTable(modelId);
  const fmr = new FalseMatchRate(fmrTable);
  const strict = strictThreshold(fmrTable);
  let liveness: Promise<LivenessDetector> | undefined;
  const selfies = o.selfies ?? new EngineSelfieAnalyser(getEngine, () => (liveness ??= OnnxLivenessDetector.open()),
    { maxBytes: config.limits.maxImageBytes, maxPixels: config.limits.maxPixels });
  const rights: Rights = {
    intake: new SubjectIntake(store, selfies, audit, { livenessThreshold: LIVENESS_THRESHOLD, documentThreshold: config.search.threshold }, clock, ids, random),
    requests: new SubjectRequestService(store, new SubjectMatcher(store, getIndexes), new AccessReportBuilder(store, config.retention.maxDays),
      erasure, suppression, audit, strict, clock, ids),
    retention: new RetentionService(store, erasure, clock, config.retention.maxDays),
    records: new RecordsOfProcessingService(store, clock, config.retention.maxDays),
    strict,
  };
  const casework = buildCasework({ store, policy, audit, authoriser, fmr, engine: getEngine, threshold: config.search.threshold, clock, ids, random, webhooks: o.webhooks });
  const sources = new SourceLifecycle(store, policy, audit, async () => erasure, config.retention.maxDays);
  // Keys and sign-ins share one throttle: an address guessing either waits for both.
  const authenticator = new Authenticator(store, audit, clock);
  const accounts = new AccountsService(store, audit, clock, ids, random, (client) => authoriser.isController(client));
  const credentials = new CredentialsService(store, audit, clock, random, authoriser);

  return {
    ...casework,
    config,
    policy,
    loadedPolicy,
    store,
    catalogue,
    catalogueAdmin: new CatalogueAdmin(catalogue, audit),
    audit,
    authoriser,
    accounts,
    accountsAdmin: new AccountsAdmin(accounts, catalogue, authoriser, credentials),
    authenticator,
    credentials,
    signIn: new SignInService(store, audit, clock, random, policy, authenticator.throttle),
    sources,
    searches: new AccountableSearchService(rawSearch, store, policy, audit, fmr, clock, ids, admission,
      { single: fmr, fused: fmrTable.fused ? new FalseMatchRate(fmrTable.fused) : fmr, floor: config.search.threshold }),
    detections: new DetectionService(getEngine, audit, admission),
    faceViews: new FaceViews(store, confinedFiles, authoriser, sharpImageTools, config.limits.maxImageBytes),
    faces: new FaceAdmin(getFaces, async () => erasure, audit, authoriser),
    facesByOrigin: new FacesByOrigin(store, async () => erasure, audit),
    uploads: new UploadService({ engine: getEngine, indexes: getIndexes, store, catalogue, audit, clock, ids, images: sharpImageTools, gates: getGates, observers: [casework.watchMatcher] }),
    transparency: new TransparencyService(store, config.retention.maxDays),
    rights,
    erasure,
    suppression,
    fmr,
    imageFiles: {
      read: (path) => readImageFile(path, config.limits.maxImageBytes).read(),
      list: (root, folder) => confinedImageFinder(root, config.limits.maxImageBytes).list(folder),
    },
    collectionGates: getGates,
    engine: getEngine,
    indexes: getIndexes,
    // Four images per worker in hand: two in the worker, two read and queued, so a worker that
    // answers finds its next image waiting instead of waiting for this thread to read one.
    ingest: async () => new IngestService(await getEngine(), store, catalogue, audit, await getIndexes(), clock, ids, config.workers * 4, sharpImageTools, await getGates(), [casework.watchMatcher]),
    faceRecords: getFaces,
    compaction,
    compactDue,
    // Every part is closed even when one fails (an index that cannot be saved must not leave the
    // engine's worker threads running and the process alive); the first failure is then reported.
    close: async () => {
      const failures: unknown[] = [];
      const attempt = async (step: () => Promise<void> | void) => {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      };
      if (indexes) {
        const opened = indexes;
        await attempt(async () => {
          const { detached } = await opened;
          try {
            await detached?.save();
          } finally {
            detached?.close();
          }
        });
      }
      for (const part of [engine, ages, liveness]) {
        if (part) await attempt(async () => (await part).close());
      }
      await attempt(() => store.close());
      if (failures.length > 0) throw failures[0];
    },
  };
}
