/**
 * Where should AdaptiveIndex switch from brute force to HNSW? For each gallery size, measures
 * exact q/s and the q/s of HNSW at the smallest ef_search whose recall@10 reaches the target.
 *   npx tsx bench/search-cutover.ts [--sizes 5000,10000,...] [--quant f16] [--target 0.99]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ExactIndex } from '../src/engines/vector-index/exact-index.ts';
import { USEARCH_DEFAULTS, UsearchIndex } from '../src/engines/vector-index/usearch-index.ts';
import type { Quantisation } from '../src/ports/vector-index.ts';
import { batchThroughput, recallAtK, round, singleQueryLatencies } from './search-metrics.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,10000,20000,50000,100000' },
    quant: { type: 'string', default: USEARCH_DEFAULTS.quantisation },
    connectivity: { type: 'string', default: String(USEARCH_DEFAULTS.connectivity) },
    'expansion-add': { type: 'string', default: String(USEARCH_DEFAULTS.expansionAdd) },
    efs: { type: 'string', default: '32,64,128,256,512,1024' },
    target: { type: 'string', default: '0.99' },
    queries: { type: 'string', default: '500' },
    threads: { type: 'string', default: '2' },
  },
});
const d = 512;
const K = 10;
const threads = Number(values.threads);
const target = Number(values.target);
const efs = values.efs.split(',').map(Number);
const log = (message: string) => process.stderr.write(`${message}\n`);
const rows = [];

for (const size of values.sizes.split(',').map(Number)) {
  const faces = new SyntheticFaces({ faces: size, dimension: d, seed: 42, effectiveDimension: 100, facesPerIdentity: [1, 9] });
  const data = new Float32Array(size * d);
  faces.fill(0, size, data);
  const keys = Array.from({ length: size }, (_, i) => i);
  const vectors = keys.map((i) => data.subarray(i * d, (i + 1) * d));
  const queries = Array.from({ length: Number(values.queries) }, (_, j) => faces.query(j).vector);

  const exact = new ExactIndex({ dimension: d, threads });
  exact.add(keys, vectors);
  const exactBatch = await batchThroughput(exact, (n) => (exact.threads = n), threads, queries, K);
  const exactLatency = singleQueryLatencies(exact, queries.slice(0, 100), K);

  const hnsw = new UsearchIndex({
    dimension: d, quantisation: values.quant as Quantisation, connectivity: Number(values.connectivity),
    expansionAdd: Number(values['expansion-add']), threads,
  });
  hnsw.add(keys, vectors);
  const path = join(tmpdir(), `likeness-cutover-${process.pid}.usearch`);
  hnsw.save(path);
  hnsw.close();
  let best: Record<string, number> | undefined;
  for (const ef of efs) {
    const view = UsearchIndex.view(path, { expansionSearch: ef, threads });
    const run = await batchThroughput(view, (n) => (view.threads = n), threads, queries, K);
    const recall = recallAtK(run.results, exactBatch.results, K);
    const latency = singleQueryLatencies(view, queries.slice(0, 100), K);
    view.close();
    log(`${size}: ef ${ef} recall ${recall.toFixed(4)} ${run.qps.toFixed(0)} q/s p50 ${latency.p50Ms.toFixed(3)} ms`);
    if (recall >= target) {
      best = { expansionSearch: ef, recallAt10: round(recall), qps: round(run.qps, 1), p50Ms: round(latency.p50Ms, 3) };
      break;
    }
  }
  rmSync(path, { force: true });
  const row = {
    faces: size,
    exactQps: round(exactBatch.qps, 1),
    exactP50Ms: round(exactLatency.p50Ms, 3),
    hnswAtTarget: best ?? null,
    hnswFaster: best ? best.qps! > exactBatch.qps : false,
  };
  log(JSON.stringify(row));
  rows.push(row);
  exact.close();
}

const out = join('bench', 'results', 'search-cutover.json');
mkdirSync(join('bench', 'results'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ target, quant: values.quant, connectivity: Number(values.connectivity), expansionAdd: Number(values['expansion-add']), threads, rows, measuredAt: new Date().toISOString() }, null, 2)}\n`,
);
console.log(rows.map((r) => `${r.faces}: exact ${r.exactQps} q/s, hnsw ${r.hnswAtTarget ? `${r.hnswAtTarget.qps} q/s at ef ${r.hnswAtTarget.expansionSearch}` : `below ${target} up to ef ${efs.at(-1)}`}`).join('\n'));
