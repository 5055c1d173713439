// Compares the shape of real face embeddings (all of LFW through likeness's recogniser) with the
// synthetic galleries bench/search.ts builds, and how hard each is for the HNSW index at the same
// size and settings: the evidence that a synthetic recall figure says something about real faces.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { createFaceEngine } from '../src/engines/face/create-face-engine.ts';
import { ExactIndex } from '../src/engines/vector-index/exact-index.ts';
import { UsearchIndex } from '../src/engines/vector-index/usearch-index.ts';
import { embeddingStatistics, type IdentityVectors } from './lib/embedding-statistics.ts';
import { embedFiles, lfwImagePath, readIdentities } from './lib/lfw-embeddings.ts';
import { recallAtK, round } from './search-metrics.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const D = 512;
const K = 10;
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    'effective-dim': { type: 'string', default: '100' },
    'noise-effective-dim': { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});
if (!values.data) {
  console.error('usage: npm run bench:lfw-shape -- --data PATH/TO/lfw [--effective-dim D] [--noise-effective-dim D]');
  process.exit(2);
}
const lfw = values.data;
const people = readIdentities(lfw);
const real = await realEmbeddings();
const faces = real.reduce((n, p) => n + p.vectors.length, 0);
const synthetic = new SyntheticFaces({
  faces, dimension: D, seed: Number(values.seed), effectiveDimension: Number(values['effective-dim']),
  noiseEffectiveDimension: values['noise-effective-dim'] ? Number(values['noise-effective-dim']) : undefined,
  facesPerIdentity: [1, 9],
});
const syntheticPeople = groupSynthetic(synthetic);

const rows = [
  { gallery: 'LFW (real)', ...embeddingStatistics(real, D), ...indexDifficulty(real) },
  { gallery: 'synthetic', ...embeddingStatistics(syntheticPeople, D), ...indexDifficulty(syntheticPeople) },
];
const result = { parameters: synthetic.options, rows, measuredAt: new Date().toISOString() };
mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'lfw-shape.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const r of rows) {
  console.log(`${r.gallery}: ${r.faces} faces of ${r.identities} identities; effective dimension of centres ${r.centreEffectiveDimension.toFixed(1)}, ` +
    `of within-identity noise ${r.noiseEffectiveDimension.toFixed(1)}; genuine cosine ${r.genuine.mean}±${r.genuine.std}, ` +
    `impostor ${r.impostor.mean}±${r.impostor.std}; HNSW (f16, M=16, ef_add=64) recall@10 ${JSON.stringify(r.recallAt10ByExpansion)}`);
}

/** Embeddings of every LFW image, computed once and kept in likeness-data/bench. */
async function realEmbeddings(): Promise<IdentityVectors[]> {
  const dir = join(PROJECT_ROOT, 'likeness-data', 'bench');
  const cache = join(dir, 'lfw-embeddings.json');
  if (!existsSync(cache)) {
    const files = people.flatMap((p) => Array.from({ length: p.images }, (_, i) => lfwImagePath(lfw, p.name, i + 1)));
    const engine = await createFaceEngine({ ...loadConfig({ dataDir: dir }), workers: availableParallelism() });
    process.stderr.write(`embedding ${files.length} images (cached afterwards in ${cache})\n`);
    const embedded = await embedFiles(engine, files, availableParallelism() * 2, (n) => process.stderr.write(`\r${n}/${files.length}`));
    await engine.close();
    const byPerson = people.map((p) => Array.from({ length: p.images }, (_, i) => embedded.get(lfwImagePath(lfw, p.name, i + 1)))
      .filter((v): v is Float32Array => !!v).map((v) => Array.from(v, (x) => Number(x.toFixed(6)))));
    mkdirSync(dir, { recursive: true });
    writeFileSync(cache, JSON.stringify(byPerson));
  }
  const byPerson = JSON.parse(readFileSync(cache, 'utf8')) as number[][][];
  return byPerson.map((vectors) => ({ vectors: vectors.map((v) => Float32Array.from(v)) }));
}

function groupSynthetic(s: SyntheticFaces): IdentityVectors[] {
  const out: Float32Array[][] = [];
  const row = new Float32Array(D);
  for (let i = 0; i < s.identityOf.length; i++) {
    s.fill(i, i + 1, row);
    (out[s.identityOf[i]!] ??= []).push(Float32Array.from(row));
  }
  return out.map((vectors) => ({ vectors }));
}

/** Recall@10 of the default-shaped HNSW index, each face of the gallery used once as a probe against the others. */
function indexDifficulty(gallery: IdentityVectors[]): { recallAt10ByExpansion: Record<string, number> } {
  const vectors = gallery.flatMap((p) => p.vectors);
  const keys = vectors.map((_, i) => i);
  const exact = new ExactIndex({ dimension: D });
  exact.add(keys, vectors);
  const probes = keys.filter((i) => i % 13 === 0);
  // The probe itself is in both indexes; asking for one more and dropping it keeps it out of the score.
  const drop = (i: number, ms: { key: number; score: number }[]) => ms.filter((m) => m.key !== i).slice(0, K);
  const truth = probes.map((i) => drop(i, exact.search(vectors[i]!, K + 1)));
  const recallAt10ByExpansion: Record<string, number> = {};
  const built = new UsearchIndex({ dimension: D, quantisation: 'f16', connectivity: 16, expansionAdd: 64, threads: 1 });
  built.add(keys, vectors);
  const file = join(mkdtempSync(join(tmpdir(), 'likeness-shape-')), 'index.usearch');
  built.save(file);
  built.close();
  for (const ef of [16, 32, 64]) {
    const view = UsearchIndex.view(file, { expansionSearch: ef });
    recallAt10ByExpansion[ef] = round(recallAtK(probes.map((i) => drop(i, view.search(vectors[i]!, K + 1))), truth, K));
    view.close();
  }
  rmSync(file, { force: true });
  return { recallAt10ByExpansion };
}
