// One embedding pass over all of LFW that keeps what several recogniser variants need, so face
// choice, mirrored-crop averaging and alignment can be measured without embedding again:
//   npx tsx bench/lfw-variants-embed.ts --data <lfw> --out <dir> --shard 0/2
// The pipeline is the engine's (src/engines/face/onnx-face-engine.ts, the product's channel orders),
// step by step, so that the raw recogniser outputs of the aligned crop and of its mirror can both be
// kept. For each image and each detected face (or the central 110x110 box when none is found): the
// box, the detection score, the quality and the two raw outputs. The images of pairs.txt come first,
// so a partial run already scores the verification protocol. bench/lfw-variants.ts reads the shards.
import { mkdirSync, openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.ts';
import { decodeImage } from '../src/engines/face/decode.ts';
import { detectFaces } from '../src/engines/face/detector.ts';
import { detectLandmarks68, fivePointsFrom68, landmarkCrop } from '../src/engines/face/landmarks.ts';
import { defaultFaceModelConfig } from '../src/engines/face/model-config.ts';
import { loadVerifiedSession, runSession } from '../src/engines/face/onnx-session.ts';
import { toPlanar } from '../src/engines/face/pixels.ts';
import { alignFace } from '../src/engines/face/recogniser.ts';
import { mirror } from '../src/engines/face/warp.ts';
import { assessQuality } from '../src/engines/face/quality.ts';
import { lfwImagePath, readIdentities } from './lib/lfw-embeddings.ts';
import { parseLfwPairs } from './lib/lfw-pairs.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' }, shard: { type: 'string', default: '0/1' } } });
if (!values.data || !values.out) {
  console.error('usage: npx tsx bench/lfw-variants-embed.ts --data <lfw> --out <dir> [--shard i/n]');
  process.exit(2);
}
const [shard, shards] = values.shard!.split('/').map(Number) as [number, number];
const config = defaultFaceModelConfig(PROJECT_ROOT);
const session = { threads: 1 };
const detector = await loadVerifiedSession(config.detector, session);
const landmarker = await loadVerifiedSession(config.landmarks, session);
const recogniser = await loadVerifiedSession(config.recogniser, session);

const people = readIdentities(values.data);
const inPairs = new Set(parseLfwPairs(readFileSync(join(values.data, 'pairs.txt'), 'utf8')).flatMap((p) => [p.a, p.b]));
const all = people.flatMap((p) => Array.from({ length: p.images }, (_, i) => ({ person: p.name, n: i + 1 })));
const key = (f: { person: string; n: number }) => `${f.person}/${f.person}_${String(f.n).padStart(4, '0')}.jpg`;
const files = [...all.filter((f) => inPairs.has(key(f))), ...all.filter((f) => !inPairs.has(key(f)))];
mkdirSync(values.out, { recursive: true });
const meta = openSync(join(values.out, `meta-${shard}.jsonl`), 'w');
const vectors = openSync(join(values.out, `vectors-${shard}.f32`), 'w');
const size = config.recogniser.inputSize;
let row = 0;

async function embed(crop: Uint8Array): Promise<Float32Array> {
  const out = await runSession(recogniser, toPlanar(crop, size, size, config.recogniser.normalisation), [1, 3, size, size]);
  return Float32Array.from(Object.values(out)[0]!);
}

const started = Date.now();
for (let i = shard; i < files.length; i += shards) {
  const { person, n } = files[i]!;
  const image = await decodeImage(readFileSync(lfwImagePath(values.data, person, n)));
  const found = await detectFaces(detector, config.detector, image);
  const regions = found.map((d) => ({ box: { x: d.x1, y: d.y1, width: d.x2 - d.x1, height: d.y2 - d.y1 }, score: d.score }));
  if (regions.length === 0) regions.push({ box: { x: 70, y: 70, width: 110, height: 110 }, score: 0 });
  for (const region of regions) {
    const p68 = await detectLandmarks68(landmarker, config.landmarks, image, landmarkCrop(region.box, image.width, image.height));
    const five = fivePointsFrom68(p68);
    const a = alignFace(image, five, config.recogniser);
    const quality = assessQuality(region.box, region.score, five, a, size);
    for (const crop of [a, mirror(a, size, size)]) {
      const v = await embed(crop);
      writeSync(vectors, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    writeSync(meta, JSON.stringify({ person, n, row: row++, box: region.box, score: region.score, width: image.width, height: image.height, quality }) + '\n');
  }
  if ((i - shard) % (200 * shards) === 0) process.stderr.write(`[shard ${shard}] ${(i - shard) / shards + 1} images, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
closeSync(meta);
closeSync(vectors);
await Promise.all([detector.release(), landmarker.release(), recogniser.release()]);
process.stderr.write(`[shard ${shard}] done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
