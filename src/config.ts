import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INDEX_PROFILE, profileProblem } from './engines/vector-index/index-profile.ts';
import type { IndexProfile } from './ports/vector-index.ts';
import { STORE_ENV, storeLocation, type StoreLocation } from './config-store.ts';
import { LikenessError } from './errors.ts';

// This file runs from src/ through a TypeScript loader, or bundled into dist/cli/.
const SOURCE_DIR = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(SOURCE_DIR, basename(dirname(SOURCE_DIR)) === 'dist' ? '../..' : '..');

/**
 * Cosine similarity at or above which two faces are taken to be the same person: a false-match
 * rate of 1e-4 per comparison, at which 98.5% of genuine pairs still match, measured on all of
 * LFW (16.5 million impostor pairs, npm run bench:calibrate): see README "Threshold".
 */
export const DEFAULT_THRESHOLD = 0.41;

export interface Config {
  dataDir: string;
  /** The store of record: SQLite at storeFile with index files in indexDir, or PostgreSQL + pgvector. */
  store: StoreLocation;
  storeFile: string;
  indexDir: string;
  /** Overrides of the face model configuration (paths, hashes, template, normalisation). */
  models: Record<string, unknown>;
  workers: number;
  limits: { maxImageBytes: number; maxPixels: number };
  /**
   * shardTimeoutMs: how long a search on a sharded PostgreSQL store waits for each shard before
   * counting it as not answering (docs/scaling.md, "A shard that does not answer").
   */
  search: { threshold: number; top: number; shardTimeoutMs: number };
  retention: { maxDays: number };
  /** When removed faces leave the index file: past this fraction of it, or this many hours after the first removal. */
  compaction: { maxPendingFraction: number; maxPendingHours: number };
  /** How the url-list and targeted-site collectors present and pace themselves. */
  collector: CollectorConfig;
  /** Vector index settings: one default profile, overridden per gallery name. */
  index: { default: IndexProfile; galleries: Record<string, Partial<IndexProfile>> };
}

export interface CollectorConfig {
  /** Where a site owner learns who crawls and how to object; required to collect from the web. */
  contactUrl?: string;
  /** Overrides the user agent built from contactUrl; it must still carry a contact URL. */
  userAgent?: string;
  minIntervalMs: number;
  byteBudget: number;
  pageBudget: number;
}

interface ConfigFile {
  store?: unknown;
  models?: Record<string, unknown>;
  workers?: number;
  limits?: Partial<Config['limits']>;
  search?: Partial<Config['search']>;
  retention?: Partial<Config['retention']>;
  compaction?: Partial<Config['compaction']>;
  collector?: Partial<CollectorConfig>;
  index?: Partial<IndexProfile> & { galleries?: Record<string, Partial<IndexProfile>> };
}

export const CONFIG_FILE = 'likeness.config.json';

/** Reads the environment and the data directory's config file once, failing fast on bad values. */
export function loadConfig(options: { dataDir?: string; env?: NodeJS.ProcessEnv; store?: string } = {}): Config {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir ?? env.LIKENESS_DATA ?? 'likeness-data');
  const file = join(dataDir, CONFIG_FILE);
  let fromFile: ConfigFile = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as ConfigFile;
    } catch (error) {
      throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  const config: Config = {
    dataDir,
    store: storeLocation({ option: options.store, env: env[STORE_ENV], file: fromFile.store }, file),
    storeFile: join(dataDir, 'likeness.db'),
    indexDir: join(dataDir, 'index'),
    models: fromFile.models ?? {},
    workers: fromFile.workers ?? numberFromEnv(env, 'LIKENESS_WORKERS') ?? availableParallelism(),
    limits: {
      maxImageBytes: fromFile.limits?.maxImageBytes ?? 25 * 1024 * 1024,
      maxPixels: fromFile.limits?.maxPixels ?? 50_000_000,
    },
    search: {
      threshold: fromFile.search?.threshold ?? DEFAULT_THRESHOLD,
      top: fromFile.search?.top ?? 10,
      shardTimeoutMs: fromFile.search?.shardTimeoutMs ?? 5000,
    },
    retention: { maxDays: fromFile.retention?.maxDays ?? 3 * 365 },
    compaction: {
      maxPendingFraction: fromFile.compaction?.maxPendingFraction ?? 0.1,
      maxPendingHours: fromFile.compaction?.maxPendingHours ?? 24,
    },
    collector: {
      ...(fromFile.collector?.contactUrl === undefined ? {} : { contactUrl: fromFile.collector.contactUrl }),
      ...(fromFile.collector?.userAgent === undefined ? {} : { userAgent: fromFile.collector.userAgent }),
      minIntervalMs: fromFile.collector?.minIntervalMs ?? 1000,
      byteBudget: fromFile.collector?.byteBudget ?? 512 * 1024 * 1024,
      pageBudget: fromFile.collector?.pageBudget ?? 1000,
    },
    index: indexSettings(fromFile.index, file),
  };
  validate(config, file);
  return config;
}

function indexSettings(section: ConfigFile['index'], file: string): Config['index'] {
  const { galleries = {}, ...base } = section ?? {};
  const check = (where: string, profile: Partial<IndexProfile>) => {
    const problem = profileProblem(profile);
    if (problem) throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file}: ${where}${problem}`);
  };
  check('index.', base);
  for (const [name, profile] of Object.entries(galleries)) check(`index.galleries.${name}.`, profile);
  return { default: { ...DEFAULT_INDEX_PROFILE, ...base }, galleries };
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new LikenessError('LIKENESS_CONFIG_INVALID', `${name} must be a whole number of 1 or more, got "${raw}"`);
  return n;
}

function validate(c: Config, file: string): void {
  const fail = (what: string): never => {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file}: ${what}`);
  };
  if (!Number.isInteger(c.workers) || c.workers < 1 || c.workers > 64) fail(`workers must be from 1 to 64, got ${c.workers}`);
  if (!(c.limits.maxImageBytes >= 1024)) fail('limits.maxImageBytes must be at least 1024');
  if (!(c.limits.maxPixels >= 10_000)) fail('limits.maxPixels must be at least 10000');
  if (!(c.search.threshold >= -1 && c.search.threshold <= 1)) fail('search.threshold must be a cosine similarity from -1 to 1');
  if (!Number.isInteger(c.search.top) || c.search.top < 1) fail('search.top must be a whole number of 1 or more');
  if (!Number.isInteger(c.search.shardTimeoutMs) || c.search.shardTimeoutMs < 1 || c.search.shardTimeoutMs > 600_000) {
    fail('search.shardTimeoutMs must be a whole number of milliseconds from 1 to 600000');
  }
  if (!(c.compaction.maxPendingFraction > 0 && c.compaction.maxPendingFraction <= 1)) fail('compaction.maxPendingFraction must be in (0, 1]');
  if (!(c.compaction.maxPendingHours > 0)) fail('compaction.maxPendingHours must be more than 0');
  if (!Number.isInteger(c.retention.maxDays) || c.retention.maxDays < 1) fail('retention.maxDays must be a whole number of 1 or more');
  if (!(c.collector.minIntervalMs >= 0)) fail('collector.minIntervalMs must be 0 or more');
  if (!(c.collector.byteBudget >= 1)) fail('collector.byteBudget must be 1 or more');
  if (!Number.isInteger(c.collector.pageBudget) || c.collector.pageBudget < 1) fail('collector.pageBudget must be a whole number of 1 or more');
}
