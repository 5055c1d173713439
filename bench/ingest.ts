// End-to-end ingestion of a folder into a fresh data directory: decode, detect, align, embed,
// store, index, on every core. Stage times are measured at the seams (engine, store, index)
// and summed over all images, so with parallel workers they add up to more than the wall time.
// In the same run, the bare models process the same images on as many processes as there are
// workers, before and after the ingestion (the machine's load drifts): their mean rate is the
// bound, and `ratioToBound` says how much of it the whole engine and store deliver.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { buildLikeness } from '../src/composition.ts';
import { directoryImageFinder } from '../src/repositories/files/directory-image-finder.ts';
import { measureModelFloor } from './lib/model-floor.ts';
import { timeSeams, type StageTimes } from './lib/seam-timers.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, limit: { type: 'string' }, workers: { type: 'string' }, policy: { type: 'string' }, 'no-floor': { type: 'boolean' } } });
if (!values.data) {
  console.error('usage: npm run bench:ingest -- --data DIR [--limit N] [--workers W] [--policy FILE] [--no-floor]');
  process.exit(2);
}
const folder = resolve(values.data);
const limit = values.limit ? Number(values.limit) : Infinity;
const workers = values.workers ? Number(values.workers) : availableParallelism();

const dataDir = mkdtempSync(join(tmpdir(), 'likeness-bench-ingest-'));
try {
  const files = (await directoryImageFinder.list(folder)).slice(0, limit);
  const loadBefore = loadavg()[0] ?? 0;
  const measureFloor = async (when: string) => {
    if (values['no-floor']) return undefined;
    process.stderr.write(`bare models ${when}: ${files.length} images on ${workers} processes\n`);
    return measureModelFloor(files.map((f) => f.path), workers);
  };
  const floorBefore = await measureFloor('before');
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
  const cpuBefore = process.cpuUsage();
  const summary = await ingest.ingest(files, 'bench', {
    actor: { actor: 'local:bench', client: null },
    onProgress: (p) => {
      if (p.done % 100 === 0 || p.done === p.total) process.stderr.write(`\r${p.done}/${p.total} images, ${p.faces} faces`);
    },
  });
  process.stderr.write('\n');
  const cpuUsed = process.cpuUsage(cpuBefore);
  await likeness.close();
  const floorAfter = await measureFloor('after');
  const floors = [floorBefore, floorAfter].flatMap((f) => (f ? [f] : []));
  const bound = floors.length === 0 ? null : floors.reduce((sum, f) => sum + f.imagesPerSecond, 0) / floors.length;

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
    /** Processor time of the whole process (all threads) per image, against the bare models' below. */
    cpuMsPerImage: (cpuUsed.user + cpuUsed.system) / 1000 / Math.max(1, summary.done),
    boundImagesPerSecond: bound,
    ratioToBound: bound === null ? null : summary.ingested / summary.seconds / bound,
    floor: { before: floorBefore ?? null, after: floorAfter ?? null },
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
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
  if (bound !== null) {
    const runs = floors.map((f) => f.imagesPerSecond.toFixed(1)).join(' and ');
    console.log(`  bare models, same images, ${workers} processes: ${bound.toFixed(1)} images/s (${runs}); ratio ${(result.ratioToBound ?? 0).toFixed(2)}`);
    const floorCpu = floors.reduce((sum, f) => sum + f.cpuMsPerImage, 0) / floors.length;
    console.log(`  processor time per image: ${result.cpuMsPerImage.toFixed(1)} ms, bare models ${floorCpu.toFixed(1)} ms`);
  }
  console.log(`  load average ${result.loadAverage.before.toFixed(2)} before, ${result.loadAverage.after.toFixed(2)} after`);
  console.log(`  ${result.failed} failed, ${result.withoutFace} without a face; model load ${modelLoadSeconds.toFixed(2)} s; wrote bench/results/ingest.json`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
