// LFW View 2 verification benchmark: npm run bench:lfw -- --data /path/to/lfw
// Embeds every image of pairs.txt once on the worker pool, then scores the 6,000 pairs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.ts';
import { FaceEnginePool } from '../src/engines/face/face-engine-pool.ts';
import { cosineSimilarity } from '../src/engines/face/recogniser.ts';
import {
  bestThreshold, kFoldAccuracy, rocAuc, rocCurve, tarAtFar, type ScoredPair,
} from '../src/engines/face/verification-metrics.ts';
import { impostorThresholds } from './lib/impostor-scores.ts';
import { lfwIdentity, parseLfwPairs } from './lib/lfw-pairs.ts';
import { chooseFace, lfwBenchSettings, productModelConfig } from './lib/lfw-settings.ts';
import { rocSvg } from './lib/roc-svg.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    workers: { type: 'string', default: String(availableParallelism()) },
    out: { type: 'string', default: join(PROJECT_ROOT, 'bench', 'results') },
    // Left out, each of these is the product's own setting (bench/lib/lfw-settings.ts).
    'detector-order': { type: 'string' },
    'recogniser-order': { type: 'string' },
    flip: { type: 'boolean' },
    'face-choice': { type: 'string' },
    'fallback-size': { type: 'string', default: '110' },
  },
});
if (!args.data) {
  console.error('usage: npm run bench:lfw -- --data <lfw dir with pairs.txt and images/> [--workers N] [--flip] [--recogniser-order rgb|bgr] [--face-choice prominent|central|largest]');
  process.exit(2);
}
const dataDir = resolve(args.data);
const workers = Number(args.workers);
const fallbackSize = Number(args['fallback-size']);

// Every LFW image is 250x250 with the face, deep-funneled, at its centre.
const LFW_SIDE = 250;
const fallbackBox = { x: (LFW_SIDE - fallbackSize) / 2, y: (LFW_SIDE - fallbackSize) / 2, width: fallbackSize, height: fallbackSize };

const { config, faceChoice } = lfwBenchSettings(args);

const pairs = parseLfwPairs(await readFile(join(dataDir, 'pairs.txt'), 'utf8'));
const images = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
log(`${pairs.length} pairs, ${images.length} images, ${workers} workers, model ${config.modelId}, recogniser ${config.recogniser.normalisation.channelOrder}${config.recogniser.flipAugment ? ' + mirror' : ''}, ${faceChoice} face`);

const pool = await FaceEnginePool.create(config, { workers });
const embeddings = new Map<string, Float32Array>();
const failures: string[] = [];
const started = performance.now();
try {
  let next = 0;
  let done = 0;
  // Two images per worker in flight, so a worker never waits for the main thread to feed it.
  const feed = async () => {
    while (next < images.length) {
      const path = images[next++] as string;
      const bytes = await readFile(join(dataDir, 'images', path));
      const analysed = await pool.analyse(bytes, { fallbackBox });
      const face = chooseFace(analysed.faces, analysed.width, analysed.height, faceChoice);
      if (!face) throw new Error(`${path}: no face and no fallback`);
      if (face.detectionScore === 0) failures.push(path);
      embeddings.set(path, face.embedding);
      if (++done % 500 === 0) log(`${done}/${images.length} images, ${rate(done)} ms/image`);
    }
  };
  await Promise.all(Array.from({ length: workers * 2 }, feed));
} finally {
  await pool.close();
}
const msPerImage = (performance.now() - started) / images.length;
log(`embedded ${images.length} images in ${((performance.now() - started) / 1000).toFixed(1)} s; ${failures.length} without a detected face`);

const scored: ScoredPair[] = pairs.map((p) => ({
  score: cosineSimilarity(embeddings.get(p.a) as Float32Array, embeddings.get(p.b) as Float32Array),
  same: p.same,
}));
const folds = kFoldAccuracy(scored, pairs.map((p) => p.fold));
const curve = rocCurve(scored);
const auc = rocAuc(curve);
const at1e3 = tarAtFar(scored, 1e-3);
const at1e4 = tarAtFar(scored, 1e-4);
const best = bestThreshold(scored);
const highestImpostor = Math.max(...scored.filter((p) => !p.same).map((p) => p.score));
log('scoring all cross-identity pairs for low-FAR thresholds');
const embeddedImages = [...embeddings.keys()];
const impostors = impostorThresholds(embeddedImages.map((k) => embeddings.get(k) as Float32Array), embeddedImages.map(lfwIdentity), [1e-3, 1e-4, 1e-5]);
const genuine = scored.filter((p) => p.same);
const tarAt = (threshold: number | undefined) => threshold === undefined ? null : genuine.filter((p) => p.score >= threshold).length / genuine.length;

const result = {
  benchmark: 'LFW View 2 verification (10-fold)',
  date: new Date().toISOString(),
  modelId: config.modelId,
  settings: {
    detectorChannelOrder: config.detector.normalisation.channelOrder,
    recogniserChannelOrder: config.recogniser.normalisation.channelOrder,
    flipAugment: config.recogniser.flipAugment,
    fallbackBox: `central ${fallbackSize}x${fallbackSize}`,
    faceChoice,
    sameAsProduct: JSON.stringify(config) === JSON.stringify(productModelConfig()) && faceChoice === 'prominent',
  },
  pairs: pairs.length,
  images: images.length,
  workers,
  accuracy: folds.mean,
  accuracyStd: folds.std,
  perFoldAccuracy: folds.perFold,
  auc,
  tarAtFar1e3: at1e3?.tar ?? null,
  tarAtFar1e4: at1e4?.tar ?? null,
  thresholdAtFar1e3: at1e3?.threshold ?? null,
  /** 3,000 impostor pairs cannot resolve 1e-4: this is just above the highest impostor score (FAR 0 of 3,000). */
  thresholdAtFar1e4: at1e4?.threshold ?? highestImpostor,
  bestAccuracyThreshold: best.threshold,
  accuracyAtBestThreshold: best.accuracy,
  allImpostorPairs: {
    pairs: impostors.pairs,
    thresholdAtFar1e3: impostors.thresholds['0.001'],
    thresholdAtFar1e4: impostors.thresholds['0.0001'],
    thresholdAtFar1e5: impostors.thresholds['0.00001'],
    tarAtFar1e3: tarAt(impostors.thresholds['0.001']),
    tarAtFar1e4: tarAt(impostors.thresholds['0.0001']),
    tarAtFar1e5: tarAt(impostors.thresholds['0.00001']),
  },
  detectionFailures: failures.length,
  detectionFailureImages: failures,
  msPerImage,
};

mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, 'lfw.json'), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(args.out, 'lfw-roc.svg'), rocSvg(curve, {
  title: `LFW View 2 ROC, ${config.modelId}: accuracy ${pct(folds.mean)} ± ${pct(folds.std)}, AUC ${auc.toFixed(4)}`,
  minFar: 1 / scored.filter((p) => !p.same).length,
}));

const f4 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(4));
console.log(`LFW View 2, ${pairs.length} pairs, model ${config.modelId}
  accuracy          ${pct(folds.mean)} ± ${pct(folds.std)} (10-fold)
  ROC AUC           ${auc.toFixed(5)}
  TAR @ FAR 1e-3    ${f4(at1e3?.tar)} (threshold ${f4(at1e3?.threshold)})
  TAR @ FAR 1e-4    ${at1e4 ? f4(at1e4.tar) : 'not measurable with 3,000 impostor pairs'}
  best threshold    ${best.threshold.toFixed(4)} (accuracy ${pct(best.accuracy)} over all pairs)
  all ${impostors.pairs} cross-identity pairs: threshold @ FAR 1e-3 ${f4(impostors.thresholds['0.001'])}, 1e-4 ${f4(impostors.thresholds['0.0001'])}, 1e-5 ${f4(impostors.thresholds['0.00001'])}
  detection failures ${failures.length} of ${images.length} (centred crop used)
  ${msPerImage.toFixed(1)} ms/image with ${workers} workers
  wrote ${join(args.out, 'lfw.json')} and lfw-roc.svg`);

function rate(done: number): string {
  return ((performance.now() - started) / done).toFixed(1);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function log(message: string): void {
  process.stderr.write(`[lfw] ${message}\n`);
}
