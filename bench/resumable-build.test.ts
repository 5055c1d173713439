import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsearchIndex } from '../src/engines/vector-index/usearch-index.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { buildResumably, buildTotals, readBuildRecord, type BuildSettings } from './resumable-build.ts';
import { recallAtK } from './search-metrics.ts';
import { StreamingTopK } from './streaming-truth.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const D = 64;
const FACES = 3_000;
const K = 10;
const settings: BuildSettings = {
  faces: FACES, dimension: D, quantisation: 'i8', connectivity: 8, expansionAdd: 32, seed: 11, effectiveDimension: 20, repair: true,
};
const faces = new SyntheticFaces({ faces: FACES, dimension: D, seed: settings.seed, effectiveDimension: settings.effectiveDimension, facesPerIdentity: [1, 9] });
const fill = (start: number, end: number, out: Float32Array) => faces.fill(start, end, out);
const queries = Array.from({ length: 60 }, (_, j) => faces.query(j).vector);

const build = (indexPath: string, more: { stopAfter?: number; settings?: BuildSettings } = {}) =>
  buildResumably({ indexPath, settings: more.settings ?? settings, threads: 2, checkpointEvery: 1_000, chunk: 500, fill, stopAfter: more.stopAfter });

async function truth() {
  const top = new StreamingTopK({ queries, k: K, dimension: D, threads: 2 });
  const buffer = new Float32Array(FACES * D);
  faces.fill(0, FACES, buffer);
  const keys = Array.from({ length: FACES }, (_, i) => i);
  await top.add(keys, keys.map((i) => buffer.subarray(i * D, (i + 1) * D)));
  return top.results();
}

async function recallOf(path: string, exact: Awaited<ReturnType<typeof truth>>): Promise<number> {
  const view = UsearchIndex.view(path, { expansionSearch: 32, threads: 2 });
  const found = await view.searchBatch(queries, K);
  view.close();
  return recallAtK(found, exact, K);
}

describe('Resumable index build', () => {
  it('stops at a checkpoint and, started again, finishes with every face and the recall of a build in one go', async () => {
    const dir = tempDir();
    const resumedPath = join(dir, 'resumed.usearch');
    const partial = await build(resumedPath, { stopAfter: 1_000 });
    assert.equal(partial.done, 1_000);
    assert.ok(partial.checkpoint && existsSync(join(dir, partial.checkpoint)));
    assert.ok(!existsSync(resumedPath));

    const resumed = await build(resumedPath);
    assert.equal(resumed.done, FACES);
    assert.equal(resumed.checkpoint, null);
    assert.deepEqual(resumed.pieces.map((p) => [p.from, p.to]), [[0, 1_000], [1_000, FACES]]);
    assert.equal(buildTotals(resumed).seconds, resumed.pieces[0]!.seconds + resumed.pieces[1]!.seconds);
    assert.deepEqual(readBuildRecord(resumedPath), resumed);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('.partial-')), [], 'the checkpoint is removed once the index is whole');

    const loaded = UsearchIndex.load(resumedPath);
    assert.equal(loaded.size, FACES);
    assert.equal(Array.from({ length: FACES }, (_, key) => key).filter((key) => !loaded.has(key)).length, 0);
    loaded.close();

    const oneGoPath = join(dir, 'one-go.usearch');
    const oneGo = await build(oneGoPath);
    assert.equal(oneGo.pieces.length, 1);
    const exact = await truth();
    const [resumedRecall, oneGoRecall] = [await recallOf(resumedPath, exact), await recallOf(oneGoPath, exact)];
    assert.ok(oneGoRecall > 0.9, `one go: ${oneGoRecall}`);
    assert.ok(Math.abs(resumedRecall - oneGoRecall) <= 0.03, `resumed ${resumedRecall}, one go ${oneGoRecall}`);
  });

  it('leaves a finished index alone when started again', async () => {
    const path = join(tempDir(), 'done.usearch');
    const first = await build(path);
    assert.deepEqual(await build(path), first);
  });

  it('refuses to resume a checkpoint built with other settings, naming them', async () => {
    const path = join(tempDir(), 'other.usearch');
    await build(path, { stopAfter: 1_000 });
    await assert.rejects(build(path, { settings: { ...settings, connectivity: 16 } }), /connectivity 8, not 16/);
  });

  it('removes what a killed run left: a half-written file, a checkpoint no record names and its lock', async () => {
    const dir = tempDir();
    const path = join(dir, 'killed.usearch');
    await build(path, { stopAfter: 1_000 });
    // No process has pid 2^22 + 1, above the largest Linux allows: these are a dead run's files.
    const halfWritten = `.killed.usearch.partial-2000.${2 ** 22 + 1}.abcd.tmp`;
    writeFileSync(join(dir, halfWritten), 'torn');
    writeFileSync(join(dir, 'killed.usearch.partial-2000'), 'saved, but its record was not');
    writeFileSync(join(dir, 'killed.usearch.build.lock'), String(2 ** 22 + 1));
    await build(path);
    assert.deepEqual(readdirSync(dir).sort(), ['killed.usearch', 'killed.usearch.build.json']);
  });

  it('refuses to build while another live process holds the build', async () => {
    const dir = tempDir();
    const path = join(dir, 'busy.usearch');
    // The test runner that started this process is alive for as long as this test runs.
    writeFileSync(join(dir, 'busy.usearch.build.lock'), String(process.ppid));
    await assert.rejects(build(path), new RegExp(`being built by process ${process.ppid}`));
    assert.deepEqual(readdirSync(dir), ['busy.usearch.build.lock']);
  });
});
