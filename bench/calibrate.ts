// Calibrates the similarity threshold on all of LFW: genuine scores from every same-person pair,
// impostor scores from one photo of each person against one of every other (millions of pairs,
// enough to read false-match rates down to 1e-6), and a 1:N identification run with the
// single-photo people as distractors. Writes bench/results/calibration.json and, with
// --write-table, the score -> false-match-rate table that likeness ships for this model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { createFaceEngine } from '../src/engines/face/create-face-engine.ts';
import { dot, embedFiles, lfwImagePath, readIdentities } from './lib/lfw-embeddings.ts';
import { identification } from './lib/identification.ts';
import { fmrTable, thresholdAtRate } from './lib/score-rates.ts';
import { fuseTemplates } from '../src/services/searches/fuse-templates.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, 'write-table': { type: 'boolean', default: false } } });
if (!values.data) {
  console.error('usage: npm run bench:calibrate -- --data PATH/TO/lfw [--write-table]');
  process.exit(2);
}
const lfw = values.data;
const started = Date.now();
const people = readIdentities(lfw);
const files = people.flatMap((p) => Array.from({ length: p.images }, (_, i) => lfwImagePath(lfw, p.name, i + 1)));
const workers = availableParallelism();
const engine = await createFaceEngine({ ...loadConfig({ dataDir: join(PROJECT_ROOT, 'likeness-data', 'bench') }), workers });
process.stderr.write(`embedding ${files.length} images on ${workers} workers\n`);
const embedded = await embedFiles(engine, files, workers * 2, (n) => process.stderr.write(`\r${n}/${files.length}`));
process.stderr.write('\n');
const embedSeconds = (Date.now() - started) / 1000;

const byPerson = people.map((p) => ({
  name: p.name,
  vectors: Array.from({ length: p.images }, (_, i) => embedded.get(lfwImagePath(lfw, p.name, i + 1))).filter((v): v is Float32Array => !!v),
}));
const failures = [...embedded.values()].filter((v) => !v).length;

const genuine: number[] = [];
for (const p of byPerson) {
  for (let i = 0; i < p.vectors.length; i++) for (let j = i + 1; j < p.vectors.length; j++) genuine.push(dot(p.vectors[i]!, p.vectors[j]!));
}
const firsts = byPerson.flatMap((p) => (p.vectors[0] ? [p.vectors[0]] : []));
const impostor = new Float32Array((firsts.length * (firsts.length - 1)) / 2);
let n = 0;
for (let i = 0; i < firsts.length; i++) for (let j = i + 1; j < firsts.length; j++) impostor[n++] = dot(firsts[i]!, firsts[j]!);
impostor.sort();
const genuineSorted = Float32Array.from(genuine).sort();

// Two photos of a person fused (their normalised mean, as a search fuses them) against photo 1 of
// every other person: the rates of fused probes, shipped beside the single-photo table.
const fusedProbes = byPerson.filter((p) => p.vectors.length >= 2).map((p) => ({ name: p.name, v: fuseTemplates([p.vectors[0]!, p.vectors[1]!]) }));
const withFirst = byPerson.filter((p) => p.vectors.length > 0);
const fusedImpostor = new Float32Array(fusedProbes.length * (withFirst.length - 1));
let f = 0;
for (const probe of fusedProbes) for (const other of withFirst) if (other.name !== probe.name) fusedImpostor[f++] = dot(probe.v, other.vectors[0]!);
fusedImpostor.sort();

const rates = [1e-3, 1e-4, 1e-5, 1e-6];
const thresholds = Object.fromEntries(rates.map((r) => {
  const t = thresholdAtRate(impostor, r);
  const fnmr = genuineSorted.findIndex((s) => s >= t) / genuineSorted.length;
  return [String(r), { threshold: t, tar: 1 - (fnmr < 0 ? 1 : fnmr) }];
}));
const ident = identification(byPerson);
const result = {
  model: engine.modelId,
  images: files.length,
  detectionFailures: failures,
  genuinePairs: genuine.length,
  impostorPairs: impostor.length,
  thresholds,
  fusedImpostorPairs: fusedImpostor.length,
  fusedThresholds: Object.fromEntries(rates.map((r) => [String(r), thresholdAtRate(fusedImpostor, r)])),
  identification: ident,
  embedSeconds,
  machine: `${availableParallelism()} cores`,
};
await engine.close();

mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'calibration.json'), JSON.stringify(result, null, 2));
if (values['write-table']) {
  const table = {
    model: engine.modelId, source: 'LFW, one photo per person, all pairs (npm run bench:calibrate)', impostorPairs: impostor.length, points: fmrTable(impostor),
    fused: { source: 'LFW, photos 1 and 2 of each person with two or more fused, against photo 1 of every other person (npm run bench:calibrate)', impostorPairs: fusedImpostor.length, points: fmrTable(fusedImpostor) },
  };
  writeFileSync(join(PROJECT_ROOT, 'src', 'engines', 'face', 'calibration.json'), JSON.stringify(table, null, 1) + '\n');
}
console.log(`LFW calibration (${files.length} images, ${failures} without a detected face, ${genuine.length} genuine and ${impostor.length} impostor pairs)`);
for (const [rate, { threshold, tar }] of Object.entries(thresholds)) {
  console.log(`  FMR ${rate}: threshold ${threshold.toFixed(4)}, TAR ${tar.toFixed(4)}`);
}
console.log(`  fused two-photo probes, ${fusedImpostor.length} impostor pairs: ${rates.map((r) => `FMR ${r} at ${thresholdAtRate(fusedImpostor, r).toFixed(4)}`).join(', ')}`);
console.log(`  1:N (${ident.enrolled} enrolled + ${ident.distractors} distractors in the gallery): rank-1 ${ident.rank1.toFixed(4)}, FNIR ${ident.fnirAtFpir01.toFixed(4)} at FPIR 0.01 (threshold ${ident.thresholdAtFpir01.toFixed(4)})`);
console.log('  wrote bench/results/calibration.json');
