// Close-ups: grey 92x112 crops of the face, as ID photos and cropped avatars are.
//   npm run bench:close-ups -- --data <lfw> [--cut id|tight]
// Made from LFW (deep-funneled, face at the centre): the first 40 people with at least 10 photos,
// 10 photos each, cropped and greyed. `--cut id` (the default) keeps the whole head and a little
// background, as ID photos are framed (eyes about 30 pixels apart in the 92x112 crop); `--cut tight`
// keeps only forehead to chin, the face running off the crop's sides. Reports how often the
// detector's first pass on the photo as it is finds a face (src/engines/face/detector.ts) and how
// often the product's detection does (src/engines/face/padded-retry.ts), then identification with one enrolled photo
// per person: rank 1 among the 40, probes whose person is first at or above the default threshold,
// probes with someone else first, probes with nobody.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../src/config.ts';
import { decodeImage } from '../src/engines/face/decode.ts';
import { detectFaces } from '../src/engines/face/detector.ts';
import { OnnxFaceEngine } from '../src/engines/face/onnx-face-engine.ts';
import { loadVerifiedSession } from '../src/engines/face/onnx-session.ts';
import { detectWithRetry } from '../src/engines/face/padded-retry.ts';
import { loadFmrTable } from '../src/repositories/files/fmr-table-file.ts';
import { FalseMatchRate } from '../src/services/scores/false-match-rate.ts';
import { galleryThreshold } from '../src/services/scores/gallery-threshold.ts';
import { mostProminent } from '../src/services/searches/probe-choice.ts';
import { lfwImagePath, readIdentities } from './lib/lfw-embeddings.ts';
import { productModelConfig } from './lib/lfw-settings.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, cut: { type: 'string', default: 'id' }, people: { type: 'string', default: '40' }, photos: { type: 'string', default: '10' } } });
/** Regions of LFW's 250x250 deep-funneled photos; the eyes sit near (105, 113) and (146, 112). */
const CUTS = {
  id: { left: 63, top: 46, width: 126, height: 153 },
  tight: { left: 80, top: 66, width: 90, height: 110 },
} as const;
if (!values.data || !(values.cut! in CUTS)) {
  console.error('usage: npm run bench:close-ups -- --data <lfw> [--cut id|tight] [--people 40] [--photos 10]');
  process.exit(2);
}
const cutName = values.cut as keyof typeof CUTS;
const perPerson = Number(values.photos);
const people = readIdentities(values.data).filter((p) => p.images >= perPerson).slice(0, Number(values.people));
const config = productModelConfig();

/** The face of a deep-funneled LFW photo, cut and greyed to 92x112. */
async function closeUp(file: string): Promise<Uint8Array> {
  return sharp(readFileSync(file)).extract(CUTS[cutName]).resize(92, 112, { fit: 'fill' }).greyscale().jpeg({ quality: 90 }).toBuffer();
}

const crops = await Promise.all(people.flatMap((p) => Array.from({ length: perPerson }, async (_, i) => ({ person: p.name, bytes: await closeUp(lfwImagePath(values.data!, p.name, i + 1)) }))));
const detector = await loadVerifiedSession(config.detector, { threads: 1 });
let byFirstPass = 0;
let byProduct = 0;
for (const c of crops) {
  const image = await decodeImage(c.bytes);
  const detect = (i: typeof image) => detectFaces(detector, config.detector, i);
  if ((await detect(image)).length > 0) byFirstPass++;
  if ((await detectWithRetry(detect, image, config.detector.inputWidth / config.detector.inputHeight)).detections.length > 0) byProduct++;
}
await detector.release();

const engine = await OnnxFaceEngine.create(config);
const templates: Array<{ person: string; v: Float32Array | undefined }> = [];
for (const c of crops) {
  const analysed = await engine.analyse(c.bytes);
  const face = analysed.faces.length > 0 ? analysed.faces[mostProminent(analysed.faces, analysed.width, analysed.height)] : undefined;
  templates.push({ person: c.person, v: face?.embedding });
}
await engine.close();
const enrolled = people.map((p) => templates.find((t) => t.person === p.name && t.v));
const gallery = enrolled.filter((e): e is { person: string; v: Float32Array } => !!e);
const rates = new FalseMatchRate(loadFmrTable(config.modelId));
const threshold = galleryThreshold(rates, gallery.length, 0.1, 0.41);
let probes = 0;
let rank1 = 0;
let firstAtThreshold = 0;
let wrongFirst = 0;
let nobody = 0;
for (const t of templates) {
  if (gallery.includes(t as { person: string; v: Float32Array }) || !gallery.some((g) => g.person === t.person)) continue;
  probes++;
  if (!t.v) {
    nobody++;
    continue;
  }
  const scored = gallery.map((g) => ({ person: g.person, s: dot(t.v!, g.v) })).sort((a, b) => b.s - a.s);
  const top = scored[0]!;
  if (top.person === t.person) rank1++;
  if (top.s < threshold) nobody++;
  else if (top.person === t.person) firstAtThreshold++;
  else wrongFirst++;
}
const result = {
  benchmark: `close-ups, ${cutName} cut (grey 92x112 crops of LFW faces)`,
  cut: cutName,
  region: CUTS[cutName],
  date: new Date().toISOString(),
  people: people.length,
  photos: crops.length,
  detectedByFirstPass: byFirstPass / crops.length,
  detected: byProduct / crops.length,
  enrolled: gallery.length,
  probes,
  threshold,
  rank1: rank1 / probes,
  firstAtThreshold: firstAtThreshold / probes,
  wrongFirst,
  noCandidate: nobody,
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
};
mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', cutName === 'id' ? 'close-ups.json' : `close-ups-${cutName}.json`), JSON.stringify(result, null, 2) + '\n');
console.log(`close-ups, ${cutName} cut: ${crops.length} photos of ${people.length} people
  face found by the first pass      ${(100 * result.detectedByFirstPass).toFixed(1)}%
  by the product's detection        ${(100 * result.detected).toFixed(1)}%
  ${probes} probes against ${gallery.length} enrolled: rank 1 ${(100 * result.rank1).toFixed(1)}%, first at the threshold ${threshold.toFixed(3)} ${(100 * result.firstAtThreshold).toFixed(1)}%, someone else first ${wrongFirst}, no candidate ${nobody}`);

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
