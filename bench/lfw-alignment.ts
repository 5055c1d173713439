// Alignment variants on LFW View 2, each with and without mirrored-crop averaging, from one pass:
//   npx tsx bench/lfw-alignment.ts --data <lfw> --out <dir> --shard 0/2   (and 1/2 beside it)
//   npx tsx bench/lfw-alignment.ts --data <lfw> --out <dir> --score       (writes lfw-alignment.json)
// The product's pipeline (src/engines/face/, the most prominent face) up to the five points; then
// the points or the template are varied before the warp:
// - base: the product's (eye centres from four lid points, nose tip, mouth corners);
// - mirrored-landmarks: the 68-point model also run on the mirrored photo, its points mirrored
//   back (left and right swapped) and averaged with the first run's;
// - six-point-eyes: eye centres from all six points of each eye;
// - both of the above;
// - template-98 / template-102: the ArcFace template scaled about the crop's centre (a tighter or
//   looser crop);
// - recentred: the landmark model run again on a crop moved halfway towards its first points'
//   centre, both runs' points averaged.
// Only the images of pairs.txt are embedded.
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Point } from '../src/domain/types.ts';
import { PROJECT_ROOT } from '../src/config.ts';
import { decodeImage } from '../src/engines/face/decode.ts';
import { detectFaces } from '../src/engines/face/detector.ts';
import { detectLandmarks68, fivePointsFrom68, landmarkCrop } from '../src/engines/face/landmarks.ts';
import { defaultFaceModelConfig } from '../src/engines/face/model-config.ts';
import { loadVerifiedSession, runSession } from '../src/engines/face/onnx-session.ts';
import { toPlanar } from '../src/engines/face/pixels.ts';
import { estimateSimilarity } from '../src/engines/face/similarity-transform.ts';
import { kFoldAccuracy, tarAtFar } from '../src/engines/face/verification-metrics.ts';
import { mirror, warpSimilarity } from '../src/engines/face/warp.ts';
import { fuseTemplates } from '../src/services/searches/fuse-templates.ts';
import { prominence } from '../src/services/searches/probe-choice.ts';
import { parseLfwPairs } from './lib/lfw-pairs.ts';

const VARIANTS = ['base', 'mirrored-landmarks', 'six-point-eyes', 'mirrored-landmarks+six-point-eyes', 'template-98', 'template-102', 'recentred'] as const;
const D = 512;

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, shard: { type: 'string', default: '0/1' }, score: { type: 'boolean', default: false } } });
if (!values.data || !values.out) {
  console.error('usage: npx tsx bench/lfw-alignment.ts --data <lfw> --out <dir> (--shard i/n | --score)');
  process.exit(2);
}
const pairs = parseLfwPairs(readFileSync(join(values.data, 'pairs.txt'), 'utf8'));
const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();

if (values.score) score(values.out);
else await embed(values.data, values.out, values.shard!);

async function embed(lfw: string, out: string, shardText: string): Promise<void> {
  const [shard, shards] = shardText.split('/').map(Number) as [number, number];
  const config = defaultFaceModelConfig(PROJECT_ROOT);
  const session = { threads: 1 };
  const detector = await loadVerifiedSession(config.detector, session);
  const landmarker = await loadVerifiedSession(config.landmarks, session);
  const recogniser = await loadVerifiedSession(config.recogniser, session);
  const size = config.recogniser.inputSize;
  const template = config.recogniser.template;
  const scaled = (k: number) => template.map(([x, y]): Point => [size / 2 + (x - size / 2) * k, size / 2 + (y - size / 2) * k]);
  const mean = (a: Point[], b: Point[]) => a.map(([x, y], i): Point => [(x + b[i]![0]) / 2, (y + b[i]![1]) / 2]);
  const sixPointEyes = (p: Point[]) => {
    const centre = (from: number) => p.slice(from, from + 6).reduce<Point>((s, q) => [s[0] + q[0] / 6, s[1] + q[1] / 6], [0, 0]);
    return [centre(36), centre(42), ...fivePointsFrom68(p).slice(2)];
  };
  // Five points found on the mirrored photo, mirrored back: the subject's left and right swap.
  const unmirrored = (five: Point[]) => [five[1]!, five[0]!, five[2]!, five[4]!, five[3]!];
  const embedCrop = async (crop: Uint8Array) => Float32Array.from(Object.values(await runSession(recogniser, toPlanar(crop, size, size, config.recogniser.normalisation), [1, 3, size, size]))[0]!);

  mkdirSync(out, { recursive: true });
  const vectors = openSync(join(out, `vectors-${shard}.f32`), 'w');
  const names: string[] = [];
  const started = Date.now();
  for (let i = shard; i < files.length; i += shards) {
    const image = await decodeImage(readFileSync(join(lfw, 'images', files[i]!)));
    const found = (await detectFaces(detector, config.detector, image)).map((d) => ({ box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 }, detectionScore: d.score }));
    const face = found.length === 0 ? { box: { x: 70, y: 70, width: 110, height: 110 }, detectionScore: 0 }
      : found.reduce((best, f) => (prominence(f, image.width, image.height) > prominence(best, image.width, image.height) ? f : best));
    const crop = landmarkCrop(face.box, image.width, image.height);
    const points = await detectLandmarks68(landmarker, config.landmarks, image, crop);
    const flipped = { ...image, rgb: mirror(image.rgb, image.width, image.height) };
    const mirroredPoints = (await detectLandmarks68(landmarker, config.landmarks, flipped, { ...crop, x: image.width - crop.x - crop.width }))
      .map(([x, y]): Point => [image.width - 1 - x, y]);
    const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
    const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
    const moved = { ...face.box, x: face.box.x + (cx - (crop.x + crop.width / 2)) / 2, y: face.box.y + (cy - (crop.y + crop.height / 2)) / 2 };
    const recentred = await detectLandmarks68(landmarker, config.landmarks, image, landmarkCrop(moved, image.width, image.height));
    const five = fivePointsFrom68(points);
    const settings: Array<[Point[], Point[]]> = [
      [five, template],
      [mean(five, unmirrored(fivePointsFrom68(mirroredPoints))), template],
      [sixPointEyes(points), template],
      [mean(sixPointEyes(points), unmirrored(sixPointEyes(mirroredPoints))), template],
      [five, scaled(0.98)],
      [five, scaled(1.02)],
      [mean(five, fivePointsFrom68(recentred)), template],
    ];
    for (const [from, to] of settings) {
      const aligned = warpSimilarity(image, estimateSimilarity(from, to), size);
      for (const crop of [aligned, mirror(aligned, size, size)]) {
        const v = await embedCrop(crop);
        writeSync(vectors, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      }
    }
    names.push(files[i]!);
    if (names.length % 400 === 0) process.stderr.write(`[shard ${shard}] ${names.length} images, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  closeSync(vectors);
  writeFileSync(join(out, `images-${shard}.json`), JSON.stringify(names));
  await Promise.all([detector, landmarker, recogniser].map((s) => s.release()));
}

function score(out: string): void {
  const perImage = VARIANTS.length * 2;
  const embeddings = new Map<string, Float32Array[]>();
  for (let shard = 0; ; shard++) {
    let names: string[];
    try {
      names = JSON.parse(readFileSync(join(out, `images-${shard}.json`), 'utf8'));
    } catch {
      break;
    }
    const bytes = readFileSync(join(out, `vectors-${shard}.f32`));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    names.forEach((name, row) => embeddings.set(name, Array.from({ length: perImage }, (_, k) => all.subarray((row * perImage + k) * D, (row * perImage + k + 1) * D))));
  }
  const missing = files.filter((f) => !embeddings.has(f)).length;
  if (missing > 0) throw new Error(`${missing} images of pairs.txt have no embeddings in ${out}: run every shard first`);
  const results: Record<string, { accuracy: number; std: number; errors: number; tarAtFar1e3: number | null }> = {};
  VARIANTS.forEach((variant, v) => {
    for (const withMirror of [false, true]) {
      const template = (file: string) => {
        const e = embeddings.get(file)!;
        return fuseTemplates(withMirror ? [e[2 * v]!, e[2 * v + 1]!].map((x) => fuseTemplates([x])) : [e[2 * v]!]);
      };
      const scored = pairs.map((p) => ({ score: dot(template(p.a), template(p.b)), same: p.same }));
      const folds = kFoldAccuracy(scored, pairs.map((p) => p.fold));
      const name = `${variant}${withMirror ? '+mirror' : ''}`;
      results[name] = { accuracy: folds.mean, std: folds.std, errors: Math.round((1 - folds.mean) * pairs.length), tarAtFar1e3: tarAtFar(scored, 1e-3)?.tar ?? null };
      console.log(`${name.padEnd(42)} ${(100 * folds.mean).toFixed(2)}% ± ${(100 * folds.std).toFixed(2)}  TAR@FAR1e-3 ${results[name].tarAtFar1e3?.toFixed(4)}`);
    }
  });
  mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'lfw-alignment.json'), JSON.stringify({ date: new Date().toISOString(), pairs: pairs.length, results }, null, 2) + '\n');
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
