// bench:search on PostgreSQL + pgvector: the same synthetic faces, queries and exact ground truth
// as the embedded index's benchmark, loaded into one node or a coordinator and its shards.
// The schema is the store's own (PostgresStore's migrations); the faces go in by binary COPY with
// the HNSW index dropped, which is built after the load; then for each hnsw.ef_search recall@10,
// q/s on 1 and N clients and p50/p99 are measured through the product's search
// (searchNearestFaces, what PgvectorGalleryIndexes.search runs).
// Writes bench/results/search-postgres-N[-shardsS].json. See docs/scaling.md for the commands.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ExactIndex } from '../src/engines/vector-index/exact-index.ts';
import type { VectorMatch } from '../src/ports/vector-index.ts';
import { shardFaces } from '../src/repositories/postgres/sharding/shard-faces.ts';
import { searchShardByShard } from '../src/repositories/postgres/sharding/shard-by-shard-search.ts';
import { setShardSearchSettings } from '../src/repositories/postgres/sharding/shard-servers.ts';
import { applySearchSettings, faceShards, nearestFacesQuery, searchNearestFaces } from '../src/repositories/postgres/pgvector-face-search.ts';
import { PostgresStore } from '../src/repositories/postgres/postgres-store.ts';
import { perFace, relationSizes, type RelationSizes } from '../scripts/postgres/relation-sizes.ts';
import { startClusters, type Clusters } from '../scripts/postgres/clusters.ts';
import { BENCH_GALLERY, BENCH_SOURCE } from './postgres/face-rows.ts';
import { connect, dropHnswIndex, insertRow, migrate } from './postgres/bench-schema.ts';
import { buildHnsw } from './postgres/build-index.ts';
import { loadFaces, loadImages } from './postgres/load-faces.ts';
import { manyClients, oneClient } from './postgres/measure-search.ts';
import type { PostgresBenchTarget } from './postgres/postgres-options.ts';
import { serverMemory } from './postgres/server-memory.ts';
import { recallAtK, round, timed } from './search-metrics.ts';
import type { SearchBenchOptions } from './search-options.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const K = 10;
const WARM_QUERIES = 200;
// Same-identity cosines of the synthetic faces lie in 0.5-0.8, impostors' below 0.35 (as bench/search.ts).
const MATE_SCORE = 0.45;
// The config's default search.shardTimeoutMs: no shard of a healthy run comes near it.
const PARTIAL_TIMEOUT_MS = 5000;
const began = performance.now();
const log = (message: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1)}s] ${message}\n`);

/**
 * postgresql.conf of the clusters --start-clusters makes: the index in shared buffers, room for the
 * WAL of a bulk load. jit off on shards: the coordinator's cursor carries no LIMIT, so a shard of
 * 333k faces plans it at a cost above jit_above_cost and spent ~100 ms compiling each search.
 */
function clusterSettings(nodes: number): Record<string, string> {
  return nodes === 1
    ? { shared_buffers: "'4GB'", max_wal_size: "'8GB'", checkpoint_timeout: "'15min'" }
    : { shared_buffers: "'1GB'", max_wal_size: "'4GB'", checkpoint_timeout: "'15min'", jit: 'off' };
}

const BUILD = { oneNode: { maintenanceWorkMem: '5GB', parallelWorkers: 1 }, perShard: { maintenanceWorkMem: '2GB', parallelWorkers: 1 } };

export async function runPostgresSearchBench(o: SearchBenchOptions, target: PostgresBenchTarget): Promise<number> {
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`warning: load average ${loadAtStart.toFixed(2)} before start; figures will be low`);
  let clusters: Clusters | undefined;
  const open: pg.Client[] = [];
  try {
    if (target.startClusters) {
      log(`starting ${target.startClusters} durable throwaway cluster(s)`);
      clusters = await startClusters({ nodes: target.startClusters, durable: true, settings: clusterSettings(target.startClusters) });
      target = { ...target, url: clusters.nodes[0]!.url, shards: clusters.nodes.slice(1).map((n) => n.url) };
    }
    return await measure(o, target, loadAtStart, open);
  } finally {
    await Promise.all(open.map((c) => c.end().catch(() => undefined)));
    if (clusters) {
      await clusters.stop();
      log('clusters stopped and deleted');
    }
  }
}

async function measure(o: SearchBenchOptions, target: PostgresBenchTarget, loadAtStart: number, open: pg.Client[]): Promise<number> {
  const d = o.dimension;
  const sharded = target.shards.length > 0;
  const headUrl = target.url!;
  const dataUrls = sharded ? target.shards : [headUrl];
  const client = async (url: string) => {
    const c = await connect(url);
    open.push(c);
    return c;
  };

  for (const url of [headUrl, ...target.shards]) await migrate(url, d);
  const servers = sharded ? (await shardFaces(headUrl, target.shards, { efSearch: o.expansionSearch[0]!, fetchSize: K })).servers : [];
  const head = await client(headUrl);
  await insertRow(head, 'galleries', { id: BENCH_GALLERY, name: 'bench' });
  await insertRow(head, 'sources', { id: BENCH_SOURCE, name: 'bench', gallery_id: BENCH_GALLERY, kind: 'directory', status: 'active' });
  const data = sharded ? await Promise.all(dataUrls.map(client)) : [head];
  const definitions = await Promise.all(data.map(dropHnswIndex));

  const synthetic = new SyntheticFaces({ faces: o.faces, dimension: d, seed: o.seed, effectiveDimension: o.effectiveDimension, facesPerIdentity: [1, 9] });
  log(`${o.faces} faces of ${synthetic.identities} identities, ${d}-d, into ${sharded ? `${data.length} shards` : 'one node'}`);
  const exact = new ExactIndex({ dimension: d, threads: o.threads });
  const imagesSeconds = await loadImages(head, o.faces, log);
  const load = await loadFaces({ synthetic, faces: o.faces, dimension: d, exact, nodes: data, coordinator: sharded ? head : undefined, log });
  // The keys came with the rows: the next face the store adds must get the next one.
  await head.query("SELECT setval('faces_vector_key_seq', $1)", [o.faces]);
  log(`loaded in ${load.seconds.toFixed(1)}s (${Math.round(o.faces / load.seconds)} faces/s; ${load.clientSeconds.toFixed(1)}s of it generating and encoding here)`);

  const settings = sharded ? BUILD.perShard : BUILD.oneNode;
  const buildSeconds: number[] = [];
  for (const [i, url] of dataUrls.entries()) {
    log(`building HNSW on ${sharded ? `shard ${i}` : 'the node'} (${load.rowsPerNode[i]} faces)`);
    buildSeconds.push(await buildHnsw(url, definitions[i]!, settings, log));
    log(`built in ${buildSeconds[i]!.toFixed(1)}s`);
  }
  const vacuum = await timed(() => Promise.all(data.map((c) => c.query('VACUUM ANALYZE faces'))));
  if (sharded) await head.query('ANALYZE faces');

  const sizes = await Promise.all(data.map((c) => relationSizes(c)));
  const total = sizes.reduce((s, x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v + s[k as keyof RelationSizes]])) as unknown as RelationSizes);
  const databaseBytes = (await Promise.all([head, ...(sharded ? data : [])].map(async (c) =>
    Number((await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b')).rows[0]!.b)))).reduce((s, x) => s + x, 0);
  log(`sizes per face: ${JSON.stringify(perFace(total, o.faces))}`);

  const queries = Array.from({ length: o.queries }, (_, j) => synthetic.query(j).vector);
  const truthQueries = queries.slice(0, o.groundTruthQueries);
  const truth = await timed(() => exact.searchBatch(truthQueries, K));
  const exactQps = truthQueries.length / truth.seconds;
  log(`exact: ${exactQps.toFixed(1)} q/s over ${truthQueries.length} queries`);
  exact.close();

  const store = await PostgresStore.open(headUrl, { dimension: d });
  try {
    const runs = await sweep(o, store, sharded ? { coordinator: head, servers } : undefined, queries, truth.value);
    const memory = await Promise.all([head, ...(sharded ? data : [])].map((c) => serverMemory(c)));
    const plan = await explain(store, queries[0]!, runs[0]!.expansionSearch);
    return report(o, target, { sharded, data, head, load, imagesSeconds, buildSeconds, vacuum, total, sizes, databaseBytes, exactQps, truthQueries, runs, memory, plan, synthetic, settings, loadAtStart });
  } finally {
    await store.close();
  }
}

/** For each ef_search: warm-up, one client (latency, recall), then N clients (q/s). */
async function sweep(
  o: SearchBenchOptions, store: PostgresStore, shards: { coordinator: pg.Client; servers: string[] } | undefined,
  queries: Float32Array[], truth: VectorMatch[][],
): Promise<Run[]> {
  const runs: Run[] = [];
  for (const efSearch of o.expansionSearch) {
    // SET on the coordinator does not reach the shards: their ef_search is in the foreign servers' options.
    if (shards) await setShardSearchSettings(shards.coordinator, shards.servers, { efSearch, fetchSize: K });
    const search = (probe: Float32Array) => searchNearestFaces(store.db, store.dimension, [BENCH_GALLERY], probe, K, efSearch);
    await manyClients(o.threads, queries.slice(0, WARM_QUERIES), search);
    const one = await oneClient(queries, search);
    const many = await manyClients(o.threads, queries, search);
    const found = one.results.slice(0, truth.length);
    const partial = shards ? await shardByShard(store, shards.servers, efSearch, queries, truth) : undefined;
    const run: Run = {
      expansionSearch: efSearch,
      recallAt10: round(recallAtK(found, truth, K)),
      mateRecallAt10: round(recallAtK(found, truth, K, MATE_SCORE)),
      qps: round(many.qps, 1),
      qps1Client: round(one.qps, 1),
      p50Ms: round(one.p50Ms, 3),
      p99Ms: round(one.p99Ms, 3),
      p50MsUnderLoad: round(many.p50Ms, 3),
      p99MsUnderLoad: round(many.p99Ms, 3),
      ...(partial ? { shardByShard: partial } : {}),
    };
    log(`ef_search=${efSearch}: ${JSON.stringify(run)}`);
    runs.push(run);
  }
  return runs;
}

/**
 * The search a policy allowing partial answers runs (docs/scaling.md, "A shard that does not
 * answer"): each shard asked and counted on its own, the k-lists merged here; one client, after a
 * warm-up, right after the single-statement search on the same queries.
 */
async function shardByShard(store: PostgresStore, servers: string[], efSearch: number, queries: Float32Array[], truth: VectorMatch[][]): Promise<ShardByShardRun> {
  const search = async (probe: Float32Array) => (await searchShardByShard(store.db, {
    dimension: store.dimension, shards: servers, galleryIds: [BENCH_GALLERY], query: probe, k: K, efSearch, timeoutMs: PARTIAL_TIMEOUT_MS,
  })).matches;
  await oneClient(queries.slice(0, WARM_QUERIES), search);
  const one = await oneClient(queries, search);
  return { recallAt10: round(recallAtK(one.results.slice(0, truth.length), truth, K)), p50Ms: round(one.p50Ms, 3), p99Ms: round(one.p99Ms, 3) };
}

interface ShardByShardRun { recallAt10: number; p50Ms: number; p99Ms: number }

interface Measured {
  sharded: boolean; data: pg.Client[]; head: pg.Client; load: Awaited<ReturnType<typeof loadFaces>>; imagesSeconds: number;
  buildSeconds: number[]; vacuum: { seconds: number }; total: RelationSizes; sizes: RelationSizes[]; databaseBytes: number;
  exactQps: number; truthQueries: Float32Array[]; runs: Run[]; memory: Awaited<ReturnType<typeof serverMemory>>[]; plan: string[];
  synthetic: SyntheticFaces; settings: typeof BUILD.oneNode; loadAtStart: number;
}

interface Run {
  expansionSearch: number; recallAt10: number; mateRecallAt10: number; qps: number; qps1Client: number;
  p50Ms: number; p99Ms: number; p50MsUnderLoad: number; p99MsUnderLoad: number;
  /** On shards: the search that may answer in part, shard by shard, with each shard's count. */
  shardByShard?: ShardByShardRun;
}

async function report(o: SearchBenchOptions, target: PostgresBenchTarget, m: Measured): Promise<number> {
  const { sharded, data, head, load, imagesSeconds, buildSeconds, vacuum, total, sizes, databaseBytes, exactQps, truthQueries, runs, memory, plan, synthetic, settings, loadAtStart } = m;
  const d = o.dimension;

  const headline = runs[0]!;
  const loadSeconds = load.seconds;
  const buildTotal = buildSeconds.reduce((s, x) => s + x, 0);
  const result = {
    faces: o.faces,
    store: sharded ? `postgres, coordinator + ${data.length} shards` : 'postgres, one node',
    ...headline,
    exactQps: round(exactQps, 2),
    speedupVsExact: round(headline.qps / exactQps, 1),
    loadSeconds: round(loadSeconds, 1),
    loadFacesPerSecond: Math.round(o.faces / loadSeconds),
    loadClientSeconds: round(load.clientSeconds, 1),
    imagesLoadSeconds: round(imagesSeconds, 1),
    buildSeconds: round(buildTotal, 1),
    buildSecondsPerNode: buildSeconds.map((s) => round(s, 1)),
    vectorsPerSecond: Math.round(o.faces / buildTotal),
    vacuumAnalyzeSeconds: round(vacuum.seconds, 1),
    diskBytes: total.totalBytes,
    diskBytesPerFace: round(total.totalBytes / o.faces, 1),
    databaseBytes,
    indexBytes: total.hnswBytes,
    indexBytesPerFace: round(total.hnswBytes / o.faces, 1),
    sizes: total,
    sizesPerNode: sizes,
    bytesPerFace: perFace(total, o.faces),
    rowsPerNode: load.rowsPerNode,
    serverMemory: memory,
    rssBytes: memory.every((m) => m) ? memory.reduce((s, m) => s + m!.pssBytes, 0) : null,
    recallAgainst: 'exact top-10 by f32 cosine over the same vectors (ExactIndex in this process); the HNSW index ranks by half-precision cosine',
    parameters: {
      dim: d, hnsw: { m: 16, efConstruction: 64, opclass: 'halfvec_cosine_ops' }, queries: o.queries, groundTruthQueries: truthQueries.length,
      clients: o.threads, k: K, seed: o.seed, effectiveDimension: o.effectiveDimension, identities: synthetic.identities, facesPerIdentity: [1, 9],
      build: settings, clusterSettings: target.startClusters ? clusterSettings(target.startClusters) : null, startedClusters: target.startClusters ?? null,
      postgres: await scalar(head, "SELECT current_setting('server_version')"),
      pgvector: await scalar(head, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"),
      sharedBuffers: await scalar(data[0]!, "SELECT current_setting('shared_buffers')"),
    },
    sweep: runs,
    plan,
    contention: { loadAverageAtStart: round(loadAtStart, 2), loadAverageAtEnd: round(loadavg()[0]!, 2) },
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    measuredAt: new Date().toISOString(),
  };
  const out = join('bench', 'results', `search-postgres-${o.faces}${target.suffix}${o.tag ? `-${o.tag}` : ''}.json`);
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `${o.faces} faces, ${result.store} (HNSW m=16, ef_construction=64, halfvec): ` +
      runs.map((r) => `ef_search=${r.expansionSearch}: recall@10 ${r.recallAt10}, ${r.qps} q/s on ${o.threads} clients (${r.qps1Client} on 1), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`).join('; ') +
      `; exact ${result.exactQps} q/s; load ${result.loadSeconds}s (${result.loadFacesPerSecond} faces/s), HNSW build ${result.buildSeconds}s ` +
      `(${result.vectorsPerSecond} vectors/s); disk ${result.diskBytesPerFace} B/face, HNSW ${result.indexBytesPerFace} B/face -> ${out}`,
  );
  return 0;
}

async function scalar(client: pg.Client, sql: string): Promise<string | null> {
  const { rows } = await client.query<Record<string, string>>(sql);
  return rows[0] ? Object.values(rows[0])[0]! : null;
}

/** The search's plan, as the product runs it (same settings, same statement), with the vectors cut. */
async function explain(store: PostgresStore, probe: Float32Array, efSearch: number): Promise<string[]> {
  const shards = await faceShards(store.db);
  return store.db.transaction().execute(async (trx) => {
    await applySearchSettings(trx, Math.max(K, efSearch));
    const query = nearestFacesQuery(store.dimension, [BENCH_GALLERY], probe, K, shards).compile(trx);
    const { rows } = await trx.executeQuery<Record<string, string>>({ ...query, sql: `EXPLAIN (ANALYZE, BUFFERS) ${query.sql}` });
    return rows.map((r) => r['QUERY PLAN']!.replace(/'\[[^\]]*\]'/g, "'[...]'"));
  });
}
