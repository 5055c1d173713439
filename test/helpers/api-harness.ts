import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ExactIndex } from '../../src/engines/vector-index/exact-index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { ApiServices } from '../../src/http/api-services.ts';
import { FileVectorIndexStore } from '../../src/repositories/files/file-vector-index-store.ts';
import { SqliteStore } from '../../src/repositories/sqlite/sqlite-store.ts';
import { AccountsService } from '../../src/services/accounts/accounts-service.ts';
import { Authenticator } from '../../src/services/accounts/authenticator.ts';
import { CatalogueAdmin } from '../../src/services/admin/catalogue-admin.ts';
import { FaceAdmin } from '../../src/services/admin/face-admin.ts';
import { AuditService } from '../../src/services/audit/audit-service.ts';
import { CatalogueService } from '../../src/services/catalogue-service.ts';
import { ErasureService } from '../../src/services/erasure/erasure-service.ts';
import { FaceService } from '../../src/services/face-service.ts';
import { IndexService } from '../../src/services/index-service.ts';
import { defaultPolicy, type Policy } from '../../src/services/policy/policy.ts';
import { PolicyService } from '../../src/services/policy/policy-service.ts';
import type { Clock } from '../../src/services/ports/clock.ts';
import { randomIds } from '../../src/services/ports/ids.ts';
import { systemRandom } from '../../src/services/ports/random-bytes.ts';
import { FalseMatchRate } from '../../src/services/scores/false-match-rate.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/services/scores/placeholder-fmr-table.ts';
import { AccountableSearchService } from '../../src/services/searches/accountable-search-service.ts';
import { SearchService } from '../../src/services/search-service.ts';
import { UploadService } from '../../src/services/uploads/upload-service.ts';
import { diskFileReader } from '../../src/repositories/files/disk-file-reader.ts';
import { DetectionService } from '../../src/services/detections/detection-service.ts';
import { FaceViews } from '../../src/services/faces/face-views.ts';
import { GalleryAccess } from '../../src/services/faces/gallery-access.ts';
import { TransparencyService } from '../../src/services/transparency/transparency-service.ts';
import { FakeFaceEngine } from './fake-face-engine.ts';
import type { CollectionGate } from '../../src/services/ports/collection-gate.ts';
import { SourceLifecycle } from '../../src/services/sources/source-lifecycle.ts';

export interface ApiHarness {
  app: FastifyInstance;
  services: ApiServices;
  store: SqliteStore;
  dir: string;
  engine: FakeFaceEngine;
  indexes: IndexService;
  accounts: AccountsService;
  /** `Bearer <key>` headers of one user per role, all of client "police" unless said otherwise. */
  as: Record<'operator' | 'investigator' | 'supervisor' | 'auditor' | 'dpo' | 'outsider', { authorization: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  policy?: (p: Policy) => void;
  clock?: Clock;
  maxImageBytes?: number;
  maxFiles?: number;
  /** Collection rules for uploads; none by default. */
  gates?: (policy: PolicyService) => CollectionGate[];
}

/** The whole API over a fresh SQLite store and the fake face engine, ready for inject(). */
export async function apiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  // Removed by close(), not by tempDir(): a harness made in a before() hook outlives that hook.
  const dir = mkdtempSync(join(tmpdir(), 'likeness-api-'));
  const clock = options.clock ?? { now: () => new Date() };
  const store = await SqliteStore.open(join(dir, 'likeness.db'), { create: true });
  const engine = new FakeFaceEngine();
  const catalogue = new CatalogueService(store, clock, randomIds, 1095);
  const indexes = new IndexService(store, new FileVectorIndexStore(join(dir, 'index'), {
    create: (dimension) => new ExactIndex({ dimension }),
    load: (path) => ExactIndex.load(path),
  }), clock, { dimension: engine.dimension, modelId: engine.modelId });
  const search = new SearchService(engine, store, indexes, { threshold: 0.4, top: 10 });
  const policy = defaultPolicy();
  options.policy?.(policy);
  const audit = new AuditService(store, clock);
  const policyService = new PolicyService(policy, clock);
  const accounts = new AccountsService(store, audit, clock, randomIds, systemRandom);
  const erasure = new ErasureService(store, async () => new FaceService(store, indexes), audit,
    { schedule: async (galleries) => { for (const g of galleries) await indexes.compact(g); } }, clock, randomIds);
  const services: ApiServices = {
    audit,
    authenticator: new Authenticator(store, audit, clock),
    catalogue: new CatalogueAdmin(catalogue, audit),
    uploads: new UploadService({
      engine: async () => engine, indexes: async () => indexes, store, catalogue, audit, clock, ids: randomIds, gates: async () => options.gates?.(policyService) ?? [],
    }),
    searches: new AccountableSearchService(async () => search, store, policyService, audit,
      new FalseMatchRate(PLACEHOLDER_FMR_TABLE), clock, randomIds),
    faces: new FaceAdmin(async () => new FaceService(store, indexes), async () => erasure, audit),
    policy: policyService,
    sources: new SourceLifecycle(store, policyService, audit, async () => erasure, 1095),
    detections: new DetectionService(async () => engine, audit),
    faceViews: new FaceViews(store, diskFileReader, new GalleryAccess(store, policyService)),
    transparency: new TransparencyService(store, 1095),
  };
  const app = await buildApp(services, {
    limits: { maxImageBytes: options.maxImageBytes ?? 64 * 1024, maxFiles: options.maxFiles ?? 5 },
    logger: process.env.LIKENESS_TEST_LOG ? { level: process.env.LIKENESS_TEST_LOG } : false,
  });

  await catalogue.ensureGallery('default');
  await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'test');
  await accounts.addClient({ name: 'other', type: 'ngo', jurisdiction: 'DE' }, 'test');
  await accounts.grantGallery('police', 'default', 'test');
  const key = async (name: string, role: string, client = 'police') =>
    ({ authorization: `Bearer ${(await accounts.addUser({ name, client, roles: [role] }, 'test')).key}` });
  const as = {
    operator: await key('olga', 'operator'),
    investigator: await key('ivan', 'investigator'),
    supervisor: await key('sue', 'supervisor'),
    auditor: await key('aude', 'auditor'),
    dpo: await key('dora', 'dpo'),
    outsider: await key('otto', 'investigator', 'other'),
  };
  return {
    app, services, store, dir, engine, indexes, accounts, as,
    close: async () => {
      await app.close();
      indexes.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
