import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RerankingIndex } from '../src/engines/vector-index/reranking-index.ts';
import { readUsearchHead } from '../src/engines/vector-index/usearch-file.ts';
import { UsearchIndex } from '../src/engines/vector-index/usearch-index.ts';
import type { VectorIndex } from '../src/ports/vector-index.ts';
import { RegeneratedVectors } from './regenerated-vectors.ts';
import { buildRecordPath, buildResumably, buildTotals, readBuildRecord, type BuildRecord, type BuildSettings } from './resumable-build.ts';
import { parseSearchBenchOptions } from './search-options.ts';
import { batchThroughput, peakRssBytes, recallAtK, round, rssBytes, singleQueryLatencies, timed } from './search-metrics.ts';
import { StreamingTopK } from './streaming-truth.ts';
import { SyntheticFaces } from './synthetic-faces.ts';
import { readTruth, truthPathFor, writeTruth, type TruthKey } from './truth-cache.ts';

const K = 10;
const CHUNK = 20_000;
const SELF_CHECKS = 2_000;
// Same-identity cosines of the synthetic faces lie in 0.5-0.8, impostors' below 0.35.
const MATE_SCORE = 0.45;
const began = performance.now();
const log = (message: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1)}s] ${message}\n`);

const o = parseSearchBenchOptions(process.argv.slice(2));
if (o.postgres) {
  const { runPostgresSearchBench } = await import('./search-postgres.ts');
  process.exit(await runPostgresSearchBench(o, o.postgres));
}
const d = o.dimension;
const faces = new SyntheticFaces({
  faces: o.faces, dimension: d, seed: o.seed, effectiveDimension: o.effectiveDimension, facesPerIdentity: [1, 9],
});
log(`${o.faces} faces of ${faces.identities} identities, ${d}-d, ${o.quantisation}, M=${o.connectivity}, ef_add=${o.expansionAdd}`);

/** Feeds faces to `sink` in chunks, regenerating them; returns the wall and CPU seconds spent in the sink. */
async function stream(label: string, sink: (keys: number[], rows: Float32Array[]) => unknown): Promise<{ seconds: number; cpuSeconds: number }> {
  const buffer = new Float32Array(CHUNK * d);
  let sinkSeconds = 0;
  let sinkCpuSeconds = 0;
  let reported = 0;
  for (let start = 0; start < o.faces; start += CHUNK) {
    const end = Math.min(o.faces, start + CHUNK);
    faces.fill(start, end, buffer);
    const keys = Array.from({ length: end - start }, (_, i) => start + i);
    const rows = keys.map((_, i) => buffer.subarray(i * d, (i + 1) * d));
    const spent = await timed(() => sink(keys, rows));
    sinkSeconds += spent.seconds;
    sinkCpuSeconds += spent.cpuSeconds;
    if (end - reported >= o.faces / 10 || end === o.faces) {
      log(`${label}: ${end}/${o.faces} (${Math.round(end / sinkSeconds)}/s)`);
      reported = end;
    }
  }
  return { seconds: sinkSeconds, cpuSeconds: sinkCpuSeconds };
}

// Other work on the machine skews every figure; the load and our CPU share make that visible.
const loadAtStart = loadavg()[0]!;
if (loadAtStart > 0.5) log(`warning: load average ${loadAtStart.toFixed(2)} before start; figures will be low`);

// Build (resuming from a checkpoint of an earlier run with the same --index-file), or reuse a
// finished index file; its build figures are then those recorded by the runs that made it.
const rssBaselineBytes = rssBytes();
const indexPath = o.indexFile ?? join(o.indexDir ?? tmpdir(), `likeness-bench-${o.faces}-${process.pid}.usearch`);
mkdirSync(dirname(indexPath), { recursive: true });
const settings: BuildSettings = {
  faces: o.faces, dimension: d, quantisation: o.quantisation, connectivity: o.connectivity, expansionAdd: o.expansionAdd,
  seed: o.seed, effectiveDimension: o.effectiveDimension, repair: o.repair,
};
const reused = o.indexFile !== undefined && existsSync(o.indexFile);
let record: BuildRecord | undefined;
if (reused) {
  const head = readUsearchHead(indexPath);
  if (head.quantisation !== o.quantisation || head.dimension !== d || head.present !== o.faces) {
    throw new Error(`${indexPath} holds ${head.present} ${head.dimension}-d ${head.quantisation} vectors, not what was asked for`);
  }
  const recorded = readBuildRecord(indexPath);
  const sameSettings = recorded && (Object.keys(settings) as (keyof BuildSettings)[]).every((n) => recorded.settings[n] === settings[n]);
  if (recorded && sameSettings && recorded.done === o.faces && recorded.checkpoint === null) record = recorded;
  log(`reusing ${indexPath}; ${record ? `build figures from its record (${record.pieces.length} piece(s))` : 'no build record for these settings'}`);
} else {
  record = await buildResumably({
    indexPath, settings, threads: o.threads, checkpointEvery: o.indexFile ? o.checkpointEvery : Infinity, chunk: CHUNK,
    fill: (start, end, out) => faces.fill(start, end, out), log,
  });
}
const build = record ? buildTotals(record) : undefined;
// The build's process RSS with the whole graph in memory, measured before it was closed.
const rssAfterBuild = record && !reused ? record.pieces.at(-1)!.rssBytes : rssBytes();
// The closed build's native memory goes only when its wrapper is collected, and usearch does not
// report it to the collector; without this the views below would sit beside a second copy.
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
await new Promise((resolve) => setImmediate(resolve)); // native finalisers run after the collection
log(`RSS ${(rssBytes() / 2 ** 20).toFixed(0)} MiB once the build's index is released`);
const indexBytes = statSync(indexPath).size;

// Exact ground truth: streamed in chunks and kept per query, so no gallery of float32 vectors is
// held; computed once per index file and kept beside it.
const queries = Array.from({ length: o.queries }, (_, j) => faces.query(j).vector);
const truthQueries = queries.slice(0, o.groundTruthQueries);
const truthKey: TruthKey = { faces: o.faces, dimension: d, seed: o.seed, effectiveDimension: o.effectiveDimension, queries: truthQueries.length, k: K };
const truthPath = o.indexFile ? truthPathFor(indexPath, truthKey) : undefined;
let truth = truthPath ? readTruth(truthPath, truthKey) : undefined;
if (truth) {
  log(`exact top-${K} of ${truthQueries.length} queries read from ${truthPath}`);
} else {
  const top = new StreamingTopK({ queries: truthQueries, k: K, dimension: d, threads: o.threads });
  await stream('exact', (keys, rows) => top.add(keys, rows));
  truth = { key: truthKey, matches: top.results(), searchSeconds: top.searchSeconds, searchCpuSeconds: top.searchCpuSeconds, measuredAt: new Date().toISOString() };
  if (truthPath) writeTruth(truthPath, truth);
}
// The exact engine's speed: its kernel's time over the whole gallery, summed over the chunks.
const exactQps = truthQueries.length / truth.searchSeconds;
const exactQueriesPerCpuSecond = truthQueries.length / truth.searchCpuSeconds;
log(`exact: ${exactQps.toFixed(1)} q/s over ${truthQueries.length} queries (streamed in chunks of ${CHUNK})`);

const stored = new RegeneratedVectors(faces);
const candidatesPerQuery = Math.max(K, Math.ceil(K * o.rerank));
const runs = [];
for (const expansionSearch of o.expansionSearch) {
  const opened = await timed(() => UsearchIndex.view(indexPath, { expansionSearch, threads: o.threads }));
  const view = opened.value;
  const index: VectorIndex = o.rerank > 0 ? new RerankingIndex(view, { vectorsOf: stored.vectorsOf, multiplier: o.rerank }) : view;
  const setThreads = (n: number) => (view.threads = n);
  stored.clear();
  if (o.rerank > 0) {
    view.threads = o.threads;
    stored.prefetch((await view.searchBatch(queries, candidatesPerQuery)).flatMap((matches) => matches.map((m) => m.key)));
  }
  await batchThroughput(index, setThreads, o.threads, queries.slice(0, 200), K); // warm the page cache
  const one = await batchThroughput(index, setThreads, 1, queries, K);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const many = await batchThroughput(index, setThreads, o.threads, queries, K);
  loop.disable();
  const latency = singleQueryLatencies(index, queries, K);
  const selfChecks = Math.min(SELF_CHECKS, o.faces);
  const probe = new Float32Array(d);
  let selfMisses = 0;
  for (let i = 0; i < selfChecks; i++) {
    const key = Math.floor((i * o.faces) / selfChecks);
    faces.fill(key, key + 1, probe);
    if (!view.search(probe, K).some((m) => m.key === key)) selfMisses++;
  }
  const run = {
    expansionSearch,
    recallAt10: round(recallAtK(many.results.slice(0, truthQueries.length), truth.matches, K)),
    mateRecallAt10: round(recallAtK(many.results.slice(0, truthQueries.length), truth.matches, K, MATE_SCORE)),
    qps: round(many.qps, 1),
    qps1Thread: round(one.qps, 1),
    p50Ms: round(latency.p50Ms, 3),
    p99Ms: round(latency.p99Ms, 3),
    queriesPerCpuSecond: round(many.queriesPerCpuSecond, 1),
    p50CpuMs: round(latency.p50CpuMs, 3),
    p99CpuMs: round(latency.p99CpuMs, 3),
    eventLoopMaxDelayMs: round(loop.max / 1e6, 1),
    selfMissRate: round(selfMisses / selfChecks, 5),
    viewSeconds: round(opened.seconds, 3),
    /** Re-ranked candidates made before the timed searches, and those the timed searches still had to make. */
    rerankPrefetched: stored.prefetched,
    rerankRegenerated: stored.regenerated,
  };
  log(`ef_search=${expansionSearch}: ${JSON.stringify(run)}`);
  runs.push(run);
  view.close();
}
if (!o.indexFile) {
  rmSync(indexPath, { force: true });
  rmSync(buildRecordPath(indexPath), { force: true });
}

const headline = runs[0]!;
const result = {
  faces: o.faces,
  ...headline,
  exactQps: round(exactQps, 2),
  exactQueriesPerCpuSecond: round(exactQueriesPerCpuSecond, 2),
  speedupVsExact: round(headline.qps / exactQps, 1),
  buildSeconds: build ? round(build.seconds, 1) : null,
  vectorsPerSecond: build ? Math.round(o.faces / build.seconds) : null,
  vectorsPerCpuSecond: build ? Math.round(o.faces / build.cpuSeconds) : null,
  /** Processes the build ran in: more than one when it was interrupted and resumed. */
  buildPieces: record ? record.pieces.length : null,
  rssBytes: rssAfterBuild,
  rssBaselineBytes,
  peakRssBytes: peakRssBytes(),
  buildPeakRssBytes: build ? build.peakRssBytes : null,
  indexBytes,
  indexBytesPerFace: round(indexBytes / o.faces, 1),
  saveSeconds: build ? round(build.saveSeconds, 1) : null,
  /** Nodes the multi-threaded build left unreachable, found and inserted again. */
  repairedNodes: build ? build.repaired : null,
  reusedIndexFile: reused ? indexPath : null,
  /** Exact q/s is the kernel's time over the gallery streamed in chunks; cached truth keeps the figure of the run that computed it. */
  exactTruthFile: truthPath ?? null,
  parameters: {
    dim: d, quant: o.quantisation, connectivity: o.connectivity, expansionAdd: o.expansionAdd, rerank: o.rerank,
    queries: o.queries, groundTruthQueries: truthQueries.length, threads: o.threads, k: K, seed: o.seed,
    effectiveDimension: o.effectiveDimension, repairAdds: o.repair, identities: faces.identities, facesPerIdentity: [1, 9],
  },
  sweep: runs,
  contention: {
    loadAverageAtStart: round(loadAtStart, 2),
    loadAverageAtEnd: round(loadavg()[0]!, 2),
    /** CPU time over wall time while adding; 2 threads on an idle machine approach 200. */
    buildCpuPercent: build ? round((build.cpuSeconds / build.seconds) * 100, 0) : null,
  },
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  measuredAt: new Date().toISOString(),
};
const out = join('bench', 'results', `search-${o.faces}${o.tag ? `-${o.tag}` : ''}.json`);
mkdirSync(join('bench', 'results'), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `${o.faces} faces (${o.quantisation}, M=${o.connectivity}, ef_add=${o.expansionAdd}, ef_search=${headline.expansionSearch}` +
    `${o.rerank ? `, rerank x${o.rerank}` : ''}): recall@10 ${headline.recallAt10}, ${headline.qps} q/s on ${o.threads} threads ` +
    `(${headline.qps1Thread} on 1), p50 ${headline.p50Ms} ms, p99 ${headline.p99Ms} ms; exact ${result.exactQps} q/s ` +
    `(x${result.speedupVsExact}); ` +
    (build ? `build ${result.buildSeconds}s = ${result.vectorsPerSecond} vectors/s (${result.vectorsPerCpuSecond} per CPU-second); ` : 'index reused; ') +
    `index ${(indexBytes / 2 ** 20).toFixed(0)} MiB, RSS ${(rssAfterBuild / 2 ** 20).toFixed(0)} MiB -> ${out}`,
);
