import assert from 'node:assert/strict';
import { existsSync, readdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { saveFaults, SimulatedCrash } from './atomic-file.ts';
import { nearby, unitVectors } from './test-vectors.ts';
import type { VectorIndex } from '../../ports/vector-index.ts';

export interface VectorIndexFactory {
  create(dimension: number): VectorIndex;
  load(path: string, options?: { dimension?: number }): VectorIndex;
}

const D = 64;
const keysFrom = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);
const isDimensionError = (e: unknown) => isLikenessError(e, 'LIKENESS_INDEX_DIMENSION');

/** The behaviour every VectorIndex must show. */
export function vectorIndexContract(name: string, factory: VectorIndexFactory): void {
  const filled = (n = 300, seed = 1) => {
    const index = factory.create(D);
    const vectors = unitVectors(n, D, seed);
    index.add(keysFrom(1000, n), vectors);
    return { index, vectors };
  };

  describe(`${name}: VectorIndex contract`, () => {
    afterEach(() => delete saveFaults.beforeRename);

    it('adds vectors and knows their keys', () => {
      const { index } = filled(50);
      assert.equal(index.dimension, D);
      assert.equal(index.size, 50);
      assert.ok(index.has(1000) && index.has(1049));
      assert.ok(!index.has(999) && !index.has(1050));
      index.close();
    });

    it('finds each vector as its own best match with a cosine of 1', () => {
      const { index, vectors } = filled();
      for (let i = 0; i < vectors.length; i += 7) {
        const matches = index.search(vectors[i]!, 5);
        assert.equal(matches.length, 5);
        assert.equal(matches[0]!.key, 1000 + i);
        assert.ok(Math.abs(matches[0]!.score - 1) < 1e-2, `score ${matches[0]!.score}`);
        for (let j = 1; j < matches.length; j++) assert.ok(matches[j - 1]!.score >= matches[j]!.score);
      }
      index.close();
    });

    it('ranks a second photo of a face first and returns at most the gallery size', () => {
      const { index, vectors } = filled(40);
      const matches = index.search(nearby(vectors[17]!, 99), 100);
      assert.equal(matches[0]!.key, 1017);
      assert.ok(matches[0]!.score > 0.8 && matches[0]!.score < 0.99);
      assert.equal(matches.length, 40);
      assert.deepEqual(factory.create(D).search(vectors[0]!, 3), []);
      index.close();
    });

    it('never returns a removed key from the very next search', () => {
      const { index, vectors } = filled();
      index.remove([1010, 1011, 424242]);
      assert.equal(index.size, 298);
      assert.ok(!index.has(1010) && !index.has(1011));
      for (const i of [10, 11]) {
        const keys = index.search(vectors[i]!, 10).map((m) => m.key);
        assert.ok(!keys.includes(1010) && !keys.includes(1011));
      }
      index.close();
    });

    it('replaces the vector of a key that is added again, in one batch or in two', () => {
      const { index, vectors } = filled(100);
      const [fresh, fresher] = unitVectors(2, D, 77);
      index.add([1005], [fresh!]);
      index.add([1006, 1006], [fresh!, fresher!]);
      assert.equal(index.size, 100);
      assert.equal(index.search(fresh!, 1)[0]!.key, 1005);
      assert.equal(index.search(fresher!, 1)[0]!.key, 1006);
      assert.ok(!index.search(vectors[5]!, 5).some((m) => m.key === 1005 && m.score > 0.99));
      index.close();
    });

    it('refuses vectors and queries of another dimension', async () => {
      const { index } = filled(10);
      assert.throws(() => index.add([1], unitVectors(1, D + 1)), isDimensionError);
      assert.throws(() => index.search(new Float32Array(D - 1), 3), isDimensionError);
      await assert.rejects(index.searchBatch([new Float32Array(D * 2)], 3), isDimensionError);
      assert.throws(() => index.add([1, 2], unitVectors(1, D)), (e) => isLikenessError(e, 'LIKENESS_BAD_INPUT'));
      assert.throws(() => index.add([-1], unitVectors(1, D)), (e) => isLikenessError(e, 'LIKENESS_BAD_INPUT'));
      assert.equal(index.size, 10);
      index.close();
    });

    it('answers a batch like single searches, and lets timers run meanwhile', async () => {
      const { index } = filled(1000);
      const queries = unitVectors(1500, D, 5);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const batch = await index.searchBatch(queries, 3);
      clearInterval(timer);
      assert.equal(batch.length, queries.length);
      for (let i = 0; i < queries.length; i += 150) {
        const single = index.search(queries[i]!, 3);
        assert.deepEqual(batch[i]!.map((m) => m.key), single.map((m) => m.key));
        batch[i]!.forEach((m, j) => assert.ok(Math.abs(m.score - single[j]!.score) < 1e-3));
      }
      assert.ok(ticks > 0, 'the event loop ran during the batch');
      index.close();
    });

    it('saves and loads the same contents', () => {
      const dir = tempDir();
      const { index, vectors } = filled();
      index.remove([1003]);
      const path = join(dir, 'gallery.index');
      index.save(path);
      const loaded = factory.load(path, { dimension: D });
      assert.equal(loaded.size, 299);
      assert.ok(!loaded.has(1003) && loaded.has(1004));
      assert.deepEqual(loaded.search(vectors[9]!, 5), index.search(vectors[9]!, 5));
      assert.throws(() => factory.load(path, { dimension: D * 2 }), isDimensionError);
      assert.throws(() => factory.load(join(dir, 'missing.index')), (e) => isLikenessError(e, 'LIKENESS_FILE_NOT_FOUND'));
      index.close();
      loaded.close();
    });

    it('keeps the previous file loadable when a save is interrupted mid-write', () => {
      const dir = tempDir();
      const path = join(dir, 'gallery.index');
      const { index, vectors } = filled(100);
      index.save(path);
      const savedBytes = statSync(path).size;
      index.add(keysFrom(5000, 100), unitVectors(100, D, 2));
      saveFaults.beforeRename = (temp) => {
        truncateSync(temp, Math.floor(statSync(temp).size / 2));
        throw new SimulatedCrash();
      };
      assert.throws(() => index.save(path), SimulatedCrash);
      delete saveFaults.beforeRename;
      assert.equal(statSync(path).size, savedBytes);
      assert.ok(readdirSync(dir).length > 1, 'the torn temporary file is left behind, as after a real crash');
      const reopened = factory.load(path);
      assert.equal(reopened.size, 100);
      assert.equal(reopened.search(vectors[42]!, 1)[0]!.key, 1042);
      index.save(path);
      assert.equal(factory.load(path).size, 200);
      assert.ok(existsSync(path));
      index.close();
      reopened.close();
    });
  });
}
