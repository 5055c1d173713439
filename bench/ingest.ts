// End-to-end ingestion of a folder into a fresh data directory: decode, detect, align, embed,
// store, index, on every core. Stage times are measured at the seams (engine, store, index)
// and summed over all images, so with parallel workers they add up to more than the wall time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { buildLikeness } from '../src/composition.ts';
import { directoryImageFinder } from '../src/repositories/files/directory-image-finder.ts';
import { timeSeams, type StageTimes } from './lib/seam-timers.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, limit: { type: 'string' }, workers: { type: 'string' }, policy: { type: 'string' } } });
if (!values.data) {
  console.error('usage: npm run bench:ingest -- --data DIR [--limit N] [--workers W] [--policy FILE]');
  process.exit(2);
}
const folder = resolve(values.data);
const limit = values.limit ? Number(values.limit) : Infinity;
const workers = values.workers ? Number(values.workers) : availableParallelism();

const dataDir = mkdtempSync(join(tmpdir(), 'likeness-bench-ingest-'));
try {
  const files = (await directoryImageFinder.list(folder)).slice(0, limit);
  const config = { ...loadConfig({ dataDir }), workers };
  const likeness = await buildLikeness(config, { create: true, policyFile: values.policy });
  await likeness.catalogue.declareSource({
    name: 'bench', kind: 'directory', uri: folder, legalBasis: 'legitimate-interests', jurisdictions: ['US'], retentionDays: 30,
    specialCategoryCondition: 'archiving-research-statistics',
  });
  const loadStarted = performance.now();
  await likeness.engine();
  const modelLoadSeconds = (performance.now() - loadStarted) / 1000;
  const stages: StageTimes = timeSeams(likeness.store, await likeness.engine(), await likeness.indexes());

  process.stderr.write(`ingesting ${files.length} images from ${folder} on ${workers} workers\n`);
  const ingest = await likeness.ingest();
  const summary = await ingest.ingest(files, 'bench', {
    actor: { actor: 'local:bench', client: null },
    onProgress: (p) => {
      if (p.done % 100 === 0 || p.done === p.total) process.stderr.write(`\r${p.done}/${p.total} images, ${p.faces} faces`);
    },
  });
  process.stderr.write('\n');
  await likeness.close();

  const perImage = (ms: number) => ms / Math.max(1, summary.done);
  const result = {
    images: summary.ingested,
    faces: summary.faces,
    failed: summary.failed,
    withoutFace: summary.withoutFace,
    seconds: summary.seconds,
    imagesPerSecond: summary.ingested / summary.seconds,
    facesPerSecond: summary.faces / summary.seconds,
    imagesPerSecondPerCore: summary.ingested / summary.seconds / workers,
    modelLoadSeconds,
    msPerImageByStage: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, perImage(v)])),
    workers,
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    folder,
  };
  mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'ingest.json'), JSON.stringify(result, null, 2));
  console.log(`ingest: ${result.images} images, ${result.faces} faces in ${result.seconds.toFixed(1)} s on ${workers} workers`);
  console.log(`  ${result.imagesPerSecond.toFixed(1)} images/s, ${result.facesPerSecond.toFixed(1)} faces/s (${result.imagesPerSecondPerCore.toFixed(1)} images/s per core)`);
  console.log(`  per image, summed over workers: ${Object.entries(result.msPerImageByStage).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`);
  console.log(`  ${result.failed} failed, ${result.withoutFace} without a face; model load ${modelLoadSeconds.toFixed(2)} s; wrote bench/results/ingest.json`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
