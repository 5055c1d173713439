// Bytes per face in PostgreSQL, and top-k latency on one node against the same faces sharded over
// postgres_fdw. Starts its own durable clusters (fsync on), loads N synthetic 512-d faces with
// realistic metadata into one node and, through a coordinator, into 3 shards; builds the HNSW
// indexes after the load (one core each); measures sizes, build time, p50/p99 and recall@10
// against exact search. Writes bench/results/postgres-footprint-N.json. Run as root:
//
//   node --import tsx scripts/postgres/footprint.ts [--faces 100000] [--queries 200]
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { setShardSearchSettings } from '../../src/repositories/postgres/sharding/shard-servers.ts';
import { SyntheticFaces } from '../../bench/synthetic-faces.ts';
import { vectorLiteral } from '../../test/postgres/clustered-vectors.ts';
import { FACES_HNSW_DDL, createFacesTable, insertFaces } from '../../test/postgres/faces-schema.ts';
import { startClusters } from './clusters.ts';
import { perFace, relationSizes } from './relation-sizes.ts';

const { values } = parseArgs({ options: { faces: { type: 'string', default: '100000' }, queries: { type: 'string', default: '200' } } });
const FACES = Number(values.faces);
const QUERIES = Number(values.queries);
const K = 10;
const EF = [40, 100];
const SHARDS = 3;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const DISTANCE = 'embedding::halfvec(512) <=> $1::halfvec(512)';
const SEARCH = `SELECT id FROM faces ORDER BY ${DISTANCE} LIMIT ${K}`;

/**
 * The same search naming each partition: PostgreSQL pushes ORDER BY and LIMIT to every shard and
 * asks them all at once (Append of async foreign scans); `d + 0` keeps the planner from merging
 * the ordered results one shard after another instead.
 */
function fanOutSearch(partitions: string[]): string {
  const perShard = partitions.map((p) => `(SELECT id, ${DISTANCE} AS d FROM ${p} ORDER BY ${DISTANCE} LIMIT ${K})`);
  return `SELECT id FROM (${perShard.join(' UNION ALL ')}) t ORDER BY d + 0 LIMIT ${K}`;
}

// Metadata as the store writes it for a real face (uuid ids, JSON box, landmarks and quality).
function realisticRow(vectorKey: number, embedding: string): unknown[] {
  const at = new Date(Date.UTC(2026, 0, 1) + vectorKey * 1000).toISOString();
  return [vectorKey, randomUUID(), randomUUID(), randomUUID(),
    '{"x":80.8,"y":56,"width":84.1,"height":131.9}',
    '[[106.04153859615326,112.13898560404778],[145.08195179700851,112.74149486422539],[127.03727388381958,139.2304241657257],[111.01733833551407,157.72160243988037],[137.47372341156006,158.21462321281433]]',
    '{"size":84,"detectionScore":0.9999898672103882,"sharpness":146.3,"yaw":5.5,"roll":0.9}',
    'faceplugin-0.0.1/fr_feature', at, 'active', at, embedding];
}

async function open(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measureSearch(client: pg.Client, probes: string[], truth: string[][], sql = SEARCH) {
  const latencies: number[] = [];
  let hits = 0;
  for (const [i, probe] of probes.entries()) {
    const [{ rows }, ms] = await timed(() => client.query<{ id: string }>(sql, [probe]));
    latencies.push(ms);
    const want = new Set(truth[i]);
    hits += rows.filter((r) => want.has(r.id)).length;
  }
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), recallAt10: round(hits / (probes.length * K) * 1000) / 10 / 100 };
}

const log = (message: string) => console.error(`footprint: ${message}`);

const clusters = await startClusters({
  nodes: 1 + SHARDS,
  durable: true,
  settings: { max_parallel_maintenance_workers: '0', shared_buffers: "'1GB'" },
});
try {
  const [node0, ...shardNodes] = clusters.nodes;
  const singleUrl = node0!.url;
  const admin = await open(singleUrl);
  await admin.query('CREATE DATABASE coordinator');
  await admin.end();
  const coordinatorUrl = singleUrl.replace(/\/likeness$/, '/coordinator');
  const shardUrls = shardNodes.map((n) => n.url);

  log(`generating ${FACES} faces`);
  // The embedded index benchmark's synthetic faces (bench:search), so recall figures compare.
  const synthetic = new SyntheticFaces({ faces: FACES, dimension: 512, seed: 42, effectiveDimension: 100, facesPerIdentity: [1, 9] });
  const vectors = new Float32Array(FACES * 512);
  synthetic.fill(0, FACES, vectors);
  const rows = Array.from({ length: FACES }, (_, i) => realisticRow(i + 1, vectorLiteral(vectors.subarray(i * 512, (i + 1) * 512))));
  const probes = Array.from({ length: QUERIES }, (_, j) => vectorLiteral(synthetic.query(j).vector));

  for (const url of [singleUrl, coordinatorUrl, ...shardUrls]) await createFacesTable(url, { hnsw: false });
  const { servers } = await shardFaces(coordinatorUrl, shardUrls, { fetchSize: K });

  const single = await open(singleUrl);
  const coordinator = await open(coordinatorUrl);
  const [, loadSingleMs] = await timed(() => insertFaces(single, rows));
  log(`loaded one node in ${(loadSingleMs / 1000).toFixed(1)} s`);
  const [, loadShardedMs] = await timed(() => insertFaces(coordinator, rows));
  log(`loaded ${SHARDS} shards through the coordinator in ${(loadShardedMs / 1000).toFixed(1)} s`);

  const [, buildSingleMs] = await timed(() => single.query(FACES_HNSW_DDL));
  log(`HNSW over ${FACES} faces built in ${(buildSingleMs / 1000).toFixed(1)} s on one core`);
  const shardBuildMs: number[] = [];
  for (const url of shardUrls) {
    const shard = await open(url);
    const [, ms] = await timed(() => shard.query(FACES_HNSW_DDL));
    shardBuildMs.push(Math.round(ms));
    await shard.query('VACUUM ANALYZE faces');
    await shard.end();
  }
  await single.query('VACUUM ANALYZE faces');
  await coordinator.query('ANALYZE faces');

  const sizes = await relationSizes(single);
  log(`sizes per face: ${JSON.stringify(perFace(sizes, FACES))}`);

  log(`exact top-${K} of ${QUERIES} probes`);
  await single.query('SET enable_indexscan = off');
  const truth: string[][] = [];
  for (const probe of probes) truth.push((await single.query<{ id: string }>(SEARCH, [probe])).rows.map((r) => r.id));
  await single.query('RESET enable_indexscan');

  const sweep = [];
  for (const ef of EF) {
    await single.query(`SET hnsw.ef_search = ${ef}`);
    await setShardSearchSettings(coordinator, servers, { efSearch: ef, fetchSize: K });
    // One pass to warm the caches and the coordinator's connections to the shards.
    await measureSearch(single, probes, truth);
    await measureSearch(coordinator, probes, truth);
    const oneNode = await measureSearch(single, probes, truth);
    const sharded = await measureSearch(coordinator, probes, truth);
    const shardedFanOut = await measureSearch(coordinator, probes, truth, fanOutSearch(servers));
    log(`ef_search ${ef}: one node ${JSON.stringify(oneNode)}, ${SHARDS} shards ${JSON.stringify(sharded)}, fanned out ${JSON.stringify(shardedFanOut)}`);
    sweep.push({ efSearch: ef, oneNode, sharded, shardedFanOut });
  }

  // What a shard plans for the coordinator's cursor, under the settings of its foreign server.
  const shard = await open(shardUrls[0]!);
  await shard.query('BEGIN');
  await shard.query(`SET LOCAL hnsw.ef_search = ${EF[EF.length - 1]}`);
  await shard.query('SET LOCAL cursor_tuple_fraction = 0.001');
  const { rows: shardPlan } = await shard.query(
    'EXPLAIN DECLARE c CURSOR FOR SELECT id, embedding FROM faces ORDER BY embedding::halfvec(512) <=> $1::halfvec(512)', [probes[0]]);
  await shard.query('COMMIT');
  await shard.end();
  const shardCursorPlan = shardPlan.map((r) => (r['QUERY PLAN'] as string).replace(/'\[[^\]]*\]'/g, "'[...]'"));
  log(`a shard's cursor plan: ${shardCursorPlan[0]}`);

  const { rows: plan } = await coordinator.query(`EXPLAIN (ANALYZE, VERBOSE) ${SEARCH}`, [probes[0]]);
  const explain = plan.map((r) => (r['QUERY PLAN'] as string).replace(/'\[[^\]]*\]'/g, "'[...]'"));
  const { rows: fanOutPlan } = await coordinator.query(`EXPLAIN (ANALYZE, VERBOSE) ${fanOutSearch(servers)}`, [probes[0]]);
  const fanOutExplain = fanOutPlan.map((r) => (r['QUERY PLAN'] as string).replace(/'\[[^\]]*\]'/g, "'[...]'"));

  const result = {
    faces: FACES,
    queries: QUERIES,
    k: K,
    shards: SHARDS,
    postgres: (await single.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v,
    pgvector: (await single.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'")).rows[0]!.v,
    hnsw: { m: 16, efConstruction: 64, opclass: 'halfvec_cosine_ops' },
    sizes,
    bytesPerFace: perFace(sizes, FACES),
    loadSeconds: { oneNode: Math.round(loadSingleMs / 100) / 10, shardedThroughCoordinator: Math.round(loadShardedMs / 100) / 10 },
    hnswBuildSeconds: { oneNode: Math.round(buildSingleMs / 100) / 10, perShard: shardBuildMs.map((ms) => Math.round(ms / 100) / 10) },
    sweep,
    shardedExplain: explain,
    fanOutExplain,
    shardCursorPlan,
  };
  await single.end();
  await coordinator.end();
  const out = join(ROOT, 'bench', 'results', `postgres-footprint-${FACES}.json`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify({ ...result, shardedExplain: undefined, fanOutExplain: undefined, shardCursorPlan: undefined }, null, 2));
  log(`wrote ${out}`);
} finally {
  await clusters.stop();
}
