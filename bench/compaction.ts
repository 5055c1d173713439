// bench:compaction: what the physical clean-up after an erasure on PostgreSQL (erasePhysically(),
// which the compaction policy and `likeness index compact` run) costs the searches running
// meanwhile. N synthetic faces are loaded into the store's own schema (binary COPY, HNSW built
// after), a fraction of them deleted, then the clean-up runs while clients search without pause.
// Reported: the longest ACCESS EXCLUSIVE lock seen on any relation (and on what searches read:
// faces, and images for the provenance of what they find), the longest a search took during the
// clean-up against the longest before it, the p50 before and after it, and the clean-up's times.
// Writes bench/results/compaction-postgres-N.json.
//
//   npm run bench:compaction -- --faces 100000 [--erase 0.01] [--clients 2] [--store URL] [--partitions P]
//
// --partitions P measures instead the prototype of bench/compaction/partition-swap.ts (faces hash
// partitioned P ways, each partition rebuilt aside and swapped in), on a table of its own; the
// results file is then compaction-postgres-N-partitionsP.json.
//
// Without --store it starts one durable throwaway cluster (wal_recycle = off, as physical erasure
// requires) and deletes it at the end; with --store the database must be empty and the server set
// up as docs/scaling.md, "Physical erasure on PostgreSQL", says.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { erasePhysically, type PhysicalErasureTimes } from '../src/repositories/postgres/physical-erasure.ts';
import { searchNearestFaces } from '../src/repositories/postgres/pgvector-face-search.ts';
import { PostgresStore } from '../src/repositories/postgres/postgres-store.ts';
import { startClusters, type Clusters } from '../scripts/postgres/clusters.ts';
import { watchExclusiveLocks } from './compaction/lock-watch.ts';
import { compactPartitions, createPartitioned, PARTITIONED, searchPartitioned } from './compaction/partition-swap.ts';
import { BENCH_GALLERY, BENCH_SOURCE } from './postgres/face-rows.ts';
import { connect, dropHnswIndex, insertRow, migrate } from './postgres/bench-schema.ts';
import { buildHnsw } from './postgres/build-index.ts';
import { loadFaces, loadImages } from './postgres/load-faces.ts';
import { percentile, round } from './search-metrics.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const K = 10;
const EF_SEARCH = 40;
const DIMENSION = 512;
const BASELINE_SEARCHES = 300;
const began = performance.now();
const log = (message: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1)}s] ${message}\n`);

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: '100000' },
    erase: { type: 'string', default: '0.01' },
    clients: { type: 'string', default: '2' },
    store: { type: 'string' },
    seed: { type: 'string', default: '7' },
    partitions: { type: 'string', default: '0' },
  },
});
const faces = Number(values.faces);
const eraseFraction = Number(values.erase);
const clients = Number(values.clients);
const partitions = Number(values.partitions);
if (!Number.isInteger(faces) || faces < 1000) throw new Error('--faces takes a whole number of 1000 or more');
if (!(eraseFraction > 0 && eraseFraction < 1)) throw new Error('--erase takes a fraction between 0 and 1');
if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients takes a whole number of 1 or more');
if (!Number.isInteger(partitions) || partitions < 0) throw new Error('--partitions takes a whole number (0: the store\'s own faces table)');

interface SearchTimes { ms: number[]; started: number[] }

type Search = (worker: number, probe: Float32Array) => Promise<unknown>;

/** Clients searching one after the other until `stop(searches so far)`; each search's time and start. */
function searchUntil(search: Search, probes: Float32Array[], stop: (searches: number) => boolean): Promise<SearchTimes> {
  const times: SearchTimes = { ms: [], started: [] };
  let next = 0;
  return Promise.all(Array.from({ length: clients }, async (_, worker) => {
    while (!stop(times.ms.length)) {
      const probe = probes[next++ % probes.length]!;
      const t = performance.now();
      await search(worker, probe);
      times.ms.push(performance.now() - t);
      times.started.push(t);
    }
  })).then(() => times);
}

async function grantPhysicalErasure(adminUrl: string, role: string): Promise<void> {
  const admin = await connect(adminUrl);
  try {
    await admin.query(`GRANT EXECUTE ON FUNCTION pg_switch_wal() TO ${role}`);
    await admin.query(`GRANT pg_checkpoint TO ${role}`);
  } finally {
    await admin.end();
  }
}

async function load(url: string): Promise<{ loadSeconds: number; buildSeconds: number }> {
  await migrate(url, DIMENSION);
  const head = await connect(url);
  try {
    await insertRow(head, 'galleries', { id: BENCH_GALLERY, name: 'bench' });
    await insertRow(head, 'sources', { id: BENCH_SOURCE, name: 'bench', gallery_id: BENCH_GALLERY, kind: 'directory', status: 'active' });
    const definition = await dropHnswIndex(head);
    const synthetic = new SyntheticFaces({ faces, dimension: DIMENSION, seed: Number(values.seed), effectiveDimension: 64, facesPerIdentity: [1, 9] });
    const t = performance.now();
    await loadImages(head, faces, log);
    await loadFaces({ synthetic, faces, dimension: DIMENSION, nodes: [head], log });
    await head.query("SELECT setval('faces_vector_key_seq', $1)", [faces]);
    const loadSeconds = (performance.now() - t) / 1000;
    log(`loaded ${faces} faces in ${loadSeconds.toFixed(1)}s; building HNSW`);
    const buildSeconds = await buildHnsw(url, definition, { maintenanceWorkMem: '2GB', parallelWorkers: 1 }, log);
    log(`built in ${buildSeconds.toFixed(1)}s`);
    await head.query('VACUUM ANALYZE faces');
    return { loadSeconds, buildSeconds };
  } finally {
    await head.end();
  }
}

async function measure(url: string): Promise<number> {
  const loadAtStart = loadavg()[0]!;
  const loaded = await load(url);
  const synthetic = new SyntheticFaces({ faces, dimension: DIMENSION, seed: Number(values.seed), effectiveDimension: 64, facesPerIdentity: [1, 9] });
  const probes = Array.from({ length: 500 }, (_, j) => synthetic.query(j).vector);
  const store = await PostgresStore.open(url);
  const watcher = await connect(url);
  const workers = await Promise.all(Array.from({ length: clients + 1 }, () => connect(url)));
  try {
    const table = partitions > 0 ? PARTITIONED : 'faces';
    if (partitions > 0) {
      log(`copying the faces into ${PARTITIONED}, ${partitions} hash partitions`);
      await createPartitioned(workers[clients]!, partitions, DIMENSION);
    }
    const search: Search = partitions > 0
      ? (worker, probe) => searchPartitioned(workers[worker]!, DIMENSION, BENCH_GALLERY, probe, K, EF_SEARCH)
      : (_, probe) => searchNearestFaces(store.db, store.dimension, [BENCH_GALLERY], probe, K, EF_SEARCH);
    // Every (1/fraction)-th face: the deleted rows are spread over the whole table, as erasures are.
    const every = Math.round(1 / eraseFraction);
    const { rowCount: deleted } = await workers[clients]!.query(`DELETE FROM ${table} WHERE vector_key % $1 = 0`, [every]);
    log(`deleted ${deleted} faces (every ${every}th) from ${table}`);

    const plan = partitions > 0
      ? (await searchPartitioned(workers[clients]!, DIMENSION, BENCH_GALLERY, probes[0]!, K, EF_SEARCH, true)).map((r) => String(r['QUERY PLAN']).replace(/'\[[^\]]*\]'/g, "'[probe]'"))
      : [];
    const baseline = await searchUntil(search, probes, (n) => n >= BASELINE_SEARCHES);

    const during = { done: false };
    const locks = watchExclusiveLocks(watcher);
    const searching = searchUntil(search, probes, () => during.done);
    const cleanupStarted = performance.now();
    const cleanup: { times: PhysicalErasureTimes } | { partitionTimes: { ms: number; swapMs: number }[] } = partitions > 0
      ? { partitionTimes: await compactPartitions(workers[clients]!, partitions, DIMENSION) }
      : { times: await erasePhysically(store.db) };
    const cleanupMs = performance.now() - cleanupStarted;
    during.done = true;
    const searches = await searching;
    const spans = await locks.stop();
    // What a search reads: the table, and (partitioned) its partitions, and images (the search
    // service reads the provenance of what it found); not a table being built aside.
    const searched = spans.filter((s) => s.relation === table || s.relation === 'images' || new RegExp(`^${table}_\\d+$`).test(s.relation));
    const afterwards = await searchUntil(search, probes, (n) => n >= BASELINE_SEARCHES);
    const sortedAfter = [...afterwards.ms].sort((a, b) => a - b);

    const sortedBaseline = [...baseline.ms].sort((a, b) => a - b);
    const inside = searches.ms.filter((_, i) => searches.started[i]! < cleanupStarted + cleanupMs);
    const sortedDuring = [...inside].sort((a, b) => a - b);
    const result = {
      faces,
      store: 'postgres, one node',
      compaction: partitions > 0
        ? `prototype (bench/compaction/partition-swap.ts): ${partitions} hash partitions, each rebuilt aside and swapped in`
        : 'the store\'s: erasePhysically() (faces and images rebuilt aside and swapped in, VACUUM FULL of the others, pg_switch_wal, CHECKPOINT)',
      deletedFaces: Number(deleted),
      clients,
      efSearch: EF_SEARCH,
      longestExclusiveLockMs: round(spans[0]?.ms ?? 0, 1),
      longestExclusiveLockRelation: spans[0]?.relation ?? null,
      longestLockOnSearchedTablesMs: round(searched[0]?.ms ?? 0, 1),
      longestLockOnSearchedTablesRelation: searched[0]?.relation ?? null,
      longestSearchDuringMs: round(sortedDuring.at(-1) ?? 0, 1),
      searchesDuring: sortedDuring.length,
      p50SearchDuringMs: round(percentile(sortedDuring, 50), 2),
      longestSearchBeforeMs: round(sortedBaseline.at(-1) ?? 0, 1),
      p50SearchBeforeMs: round(percentile(sortedBaseline, 50), 2),
      p50SearchAfterMs: round(percentile(sortedAfter, 50), 2),
      cleanupMs: round(cleanupMs, 1),
      ...('times' in cleanup
        ? {
          rewriteMs: round(cleanup.times.rewriteMs, 1), walMs: round(cleanup.times.walMs, 1), rewriteMsPerFace: round(cleanup.times.rewriteMs / faces, 4),
          rebuiltAside: Object.fromEntries(Object.entries(cleanup.times.rebuilt).map(([t, r]) => [t, {
            buildMs: round(r.buildMs, 1), swapMs: round(r.swapMs, 1), caughtUp: r.caughtUp, swapRetries: r.swapRetries,
          }])),
        }
        : {
          longestPartitionMs: round(Math.max(...cleanup.partitionTimes.map((p) => p.ms)), 1),
          longestSwapMs: round(Math.max(...cleanup.partitionTimes.map((p) => p.swapMs)), 1),
        }),
      ...(plan.length > 0 ? { searchPlan: plan } : {}),
      locks: spans.slice(0, 10).map((s) => ({ relation: s.relation, ms: round(s.ms, 1) })),
      loadSeconds: round(loaded.loadSeconds, 1),
      buildSeconds: round(loaded.buildSeconds, 1),
      machine: { cpus: cpus().length, loadAverageAtStart: round(loadAtStart, 2) },
      measuredAt: new Date().toISOString(),
    };
    log(JSON.stringify(result));
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `compaction-postgres-${faces}${partitions > 0 ? `-partitions${partitions}` : ''}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(`longest exclusive lock ${result.longestExclusiveLockMs} ms (${result.longestExclusiveLockRelation}), `
      + `longest search during the clean-up ${result.longestSearchDuringMs} ms (before: ${result.longestSearchBeforeMs} ms); wrote ${file}`);
    return 0;
  } finally {
    await Promise.all(workers.map((w) => w.end()));
    await watcher.end();
    await store.close();
  }
}

let clusters: Clusters | undefined;
// Ctrl-C or a kill must not leave the throwaway cluster running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void (clusters?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));
}
try {
  let url = values.store;
  if (!url) {
    log('starting one durable throwaway cluster');
    clusters = await startClusters({ nodes: 1, durable: true, settings: { shared_buffers: "'2GB'", maintenance_work_mem: "'2GB'", max_wal_size: "'8GB'", checkpoint_timeout: "'15min'", wal_recycle: 'off' } });
    const [node] = clusters.nodes;
    url = node!.url;
    await grantPhysicalErasure(node!.adminUrl, decodeURIComponent(new URL(url).username));
  }
  process.exitCode = await measure(url);
} finally {
  await clusters?.stop();
}
