// Scores recogniser variants from one embedding pass (bench/lfw-variants-embed.ts):
//   npx tsx bench/lfw-variants.ts --data <lfw> --embeddings <dir>
// - LFW View 2 accuracy for each face choice (largest, most central, most prominent) with and
//   without mirrored-crop averaging;
// - open-set identification at gallery scale on all of LFW, one-photo and two-photo probes;
// - the impostor table of two-photo fused probes, written with --write-fused into the shipped
//   calibration (src/engines/face/calibration.json, key `fused`);
// - the highest-scoring pairs of different names, to see what the measured tail is made of.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config.ts';
import { kFoldAccuracy, tarAtFar, type ScoredPair } from '../src/engines/face/verification-metrics.ts';
import { fuseTemplates } from '../src/services/searches/fuse-templates.ts';
import { prominence } from '../src/services/searches/probe-choice.ts';
import { readIdentities } from './lib/lfw-embeddings.ts';
import { parseLfwPairs } from './lib/lfw-pairs.ts';
import { openSetIdentification, type OpenSetPerson } from './lib/open-set.ts';
import { fmrTable } from './lib/score-rates.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, embeddings: { type: 'string' }, 'write-fused': { type: 'boolean', default: false } } });
if (!values.data || !values.embeddings) {
  console.error('usage: npx tsx bench/lfw-variants.ts --data <lfw> --embeddings <dir> [--write-fused]');
  process.exit(2);
}
const D = 512;

interface Row { person: string; n: number; box: { x: number; y: number; width: number; height: number }; score: number; width: number; height: number; a: Float32Array; m: Float32Array }
const byImage = new Map<string, Row[]>();
for (const shard of [0, 1]) {
  const meta = readFileSync(join(values.embeddings, `meta-${shard}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const buf = readFileSync(join(values.embeddings, `vectors-${shard}.f32`));
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  for (const m of meta) {
    if ((m.row + 1) * 2 * D > all.length) break;
    const key = `${m.person}/${m.n}`;
    const rows = byImage.get(key) ?? [];
    rows.push({ ...m, a: all.subarray(m.row * 2 * D, m.row * 2 * D + D), m: all.subarray(m.row * 2 * D + D, m.row * 2 * D + 2 * D) });
    byImage.set(key, rows);
  }
}
console.log(`${byImage.size} images embedded`);

type Choice = 'largest' | 'central' | 'prominent';
const choose = (rows: Row[], how: Choice): Row => {
  const off = (r: Row) => Math.hypot(r.box.x + r.box.width / 2 - r.width / 2, r.box.y + r.box.height / 2 - r.height / 2);
  const key = {
    largest: (r: Row) => r.box.width * r.box.height,
    central: (r: Row) => -off(r),
    prominent: (r: Row) => prominence({ box: r.box, detectionScore: r.score }, r.width, r.height),
  }[how];
  return rows.reduce((best, r) => (key(r) > key(best) ? r : best));
};
const unit = (v: Float32Array) => fuseTemplates([v]);
const template = (rows: Row[], how: Choice, flip: boolean) => {
  const r = choose(rows, how);
  if (!flip) return unit(r.a);
  const sum = new Float32Array(D);
  for (let i = 0; i < D; i++) sum[i] = r.a[i]! + r.m[i]!;
  return unit(sum);
};
const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const results: Record<string, unknown> = {};
const pairs = parseLfwPairs(readFileSync(join(values.data, 'pairs.txt'), 'utf8'));
const imageKey = (path: string) => {
  const m = /^(.+)\/\1_(\d{4})\.jpg$/.exec(path)!;
  return `${m[1]}/${Number(m[2])}`;
};
const verification: Record<string, unknown> = {};
for (const how of ['largest', 'central', 'prominent'] as Choice[]) {
  for (const flip of [false, true]) {
    const ready = pairs.every((p) => byImage.has(imageKey(p.a)) && byImage.has(imageKey(p.b)));
    if (!ready) continue;
    const scored: ScoredPair[] = pairs.map((p) => ({
      score: dot(template(byImage.get(imageKey(p.a))!, how, flip), template(byImage.get(imageKey(p.b))!, how, flip)),
      same: p.same,
    }));
    const folds = kFoldAccuracy(scored, pairs.map((p) => p.fold));
    const name = `${how}${flip ? '+mirror' : ''}`;
    verification[name] = { accuracy: folds.mean, std: folds.std, tarAtFar1e3: tarAtFar(scored, 1e-3)?.tar ?? null };
    console.log(`LFW View 2, ${name.padEnd(18)} ${(100 * folds.mean).toFixed(2)}% ± ${(100 * folds.std).toFixed(2)}  TAR@FAR1e-3 ${tarAtFar(scored, 1e-3)?.tar.toFixed(4)}`);
  }
}
results.verification = verification;

const people = readIdentities(values.data);
for (const flip of [false, true]) {
  const persons: OpenSetPerson[] = people.map((p) => ({
    name: p.name,
    vectors: Array.from({ length: p.images }, (_, i) => byImage.get(`${p.name}/${i + 1}`)).filter((r): r is Row[] => !!r).map((rows) => template(rows, 'prominent', flip)),
  }));
  const openSet = openSetIdentification(persons);
  results[`openSet${flip ? 'Mirror' : ''}`] = openSet;
  console.log(`open set${flip ? ' (mirror)' : ''}: ${JSON.stringify(openSet)}`);
  if (!flip) {
    // Fused impostors: photos 1 and 2 of a person fused, against the first photo of every other person.
    const firsts = persons.filter((p) => p.vectors.length > 0).map((p) => ({ name: p.name, v: p.vectors[0]! }));
    const fusedProbes = persons.filter((p) => p.vectors.length >= 2).map((p) => ({ name: p.name, v: fuseTemplates([p.vectors[0]!, p.vectors[1]!]) }));
    const scores = new Float32Array(fusedProbes.length * (firsts.length - 1));
    let n = 0;
    for (const f of fusedProbes) for (const g of firsts) if (g.name !== f.name) scores[n++] = dot(f.v, g.v);
    scores.sort();
    const fused = { source: 'LFW, photos 1 and 2 of each person with two or more fused, against photo 1 of every other person (bench/lfw-variants.ts)', impostorPairs: scores.length, points: fmrTable(scores) };
    results.fusedImpostorPairs = scores.length;
    const at = (rate: number) => scores[scores.length - Math.max(1, Math.floor(rate * scores.length))]!;
    console.log(`fused impostors: ${scores.length} pairs; score at FMR 1e-3 ${at(1e-3).toFixed(4)}, 1e-4 ${at(1e-4).toFixed(4)}, 1e-5 ${at(1e-5).toFixed(4)}`);
    const single = new Float32Array((firsts.length * (firsts.length - 1)) / 2);
    let k = 0;
    const top: Array<{ a: string; b: string; score: number }> = [];
    for (let i = 0; i < firsts.length; i++) {
      for (let j = i + 1; j < firsts.length; j++) {
        const s = dot(firsts[i]!.v, firsts[j]!.v);
        single[k++] = s;
        if (s >= 0.55) top.push({ a: firsts[i]!.name, b: firsts[j]!.name, score: s });
      }
    }
    single.sort();
    const sat = (rate: number) => single[single.length - Math.max(1, Math.floor(rate * single.length))]!;
    console.log(`single impostors: ${single.length} pairs; score at FMR 1e-3 ${sat(1e-3).toFixed(4)}, 1e-4 ${sat(1e-4).toFixed(4)}, 1e-5 ${sat(1e-5).toFixed(4)}`);
    results.highestImpostorPairs = top.sort((x, y) => y.score - x.score);
    console.log(`pairs of different names at 0.55 or more: ${top.length}`);
    for (const t of top.slice(0, 40)) console.log(`  ${t.score.toFixed(3)}  ${t.a}  ${t.b}`);
    if (values['write-fused']) {
      const file = join(PROJECT_ROOT, 'src', 'engines', 'face', 'calibration.json');
      const table = JSON.parse(readFileSync(file, 'utf8'));
      table.fused = fused;
      writeFileSync(file, JSON.stringify(table, null, 1) + '\n');
      console.log(`wrote the fused table into ${file}`);
    }
  }
}
mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'lfw-variants.json'), JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2) + '\n');
