import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { ExactIndex } from '../../src/engines/vector-index/exact-index.ts';
import { buildApp } from '../../src/http/app.ts';
import type { Store } from '../../src/ports/store.ts';
import type { AccountsService } from '../../src/services/accounts/accounts-service.ts';
import { defaultPolicy, type Policy } from '../../src/services/policy/policy.ts';
import type { PolicyService } from '../../src/services/policy/policy-service.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { CollectionGate } from '../../src/ports/collection-gate.ts';
import type { GalleryIndexes } from '../../src/ports/gallery-indexes.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { FakeFaceEngine } from './fake-face-engine.ts';

export interface ApiHarness {
  app: FastifyInstance;
  /** The production wiring (buildLikeness), with the fake engine and exact indexes. */
  services: Likeness;
  store: Store;
  dir: string;
  engine: FakeFaceEngine;
  indexes: GalleryIndexes;
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

/** The whole API as `likeness serve` wires it, over a fresh SQLite store and the fake face engine, ready for inject(). */
export async function apiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  // Removed by close(), not by tempDir(): a harness made in a before() hook outlives that hook.
  const dir = mkdtempSync(join(tmpdir(), 'likeness-api-'));
  const clock = options.clock ?? { now: () => new Date() };
  const engine = new FakeFaceEngine();
  const policy = defaultPolicy();
  // "police" runs likeness here: its operator and dpo act for the controller (docs/architecture.md, "Authorisation").
  policy.clients.controller = 'police';
  options.policy?.(policy);
  const base = loadConfig({ dataDir: dir, env: {} });
  const likeness = await buildLikeness({ ...base, search: { ...base.search, threshold: 0.4 } }, {
    create: true,
    overrides: {
      clock,
      policy,
      engine: async () => engine,
      indexFiles: { create: (dimension) => new ExactIndex({ dimension }), load: (path) => ExactIndex.load(path) },
      fmrTable: PLACEHOLDER_FMR_TABLE,
      gates: (p) => options.gates?.(p) ?? [],
    },
  });
  const { store, catalogue, accounts } = likeness;
  const indexes = await likeness.indexes();
  const app = await buildApp(likeness, {
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
    app, services: likeness, store, dir, engine, indexes, accounts, as,
    close: async () => {
      await app.close();
      await likeness.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
