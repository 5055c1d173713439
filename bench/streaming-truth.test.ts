import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExactIndex } from '../src/engines/vector-index/exact-index.ts';
import { mergeTopK, StreamingTopK } from './streaming-truth.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const D = 64;
const FACES = 2_500;
const K = 10;
const faces = new SyntheticFaces({ faces: FACES, dimension: D, seed: 7, effectiveDimension: 20, facesPerIdentity: [1, 9] });
const queries = Array.from({ length: 40 }, (_, j) => faces.query(j).vector);

function rowsOf(start: number, end: number): { keys: number[]; rows: Float32Array[] } {
  const buffer = new Float32Array((end - start) * D);
  faces.fill(start, end, buffer);
  const keys = Array.from({ length: end - start }, (_, i) => start + i);
  return { keys, rows: keys.map((_, i) => buffer.subarray(i * D, (i + 1) * D)) };
}

async function streamed(chunk: number): Promise<StreamingTopK> {
  const top = new StreamingTopK({ queries, k: K, dimension: D, threads: 2 });
  for (let start = 0; start < FACES; start += chunk) {
    const { keys, rows } = rowsOf(start, Math.min(FACES, start + chunk));
    await top.add(keys, rows);
  }
  return top;
}

describe('Streaming exact top-k', () => {
  it('finds what exact search over the whole gallery finds, with the same scores', async () => {
    const whole = new ExactIndex({ dimension: D, threads: 2 });
    const all = rowsOf(0, FACES);
    whole.add(all.keys, all.rows);
    const expected = await whole.searchBatch(queries, K);
    const top = await streamed(333);
    const found = top.results();
    assert.equal(top.rows, FACES);
    found.forEach((matches, q) => {
      assert.deepEqual(matches.map((m) => m.key), expected[q]!.map((m) => m.key), `query ${q}`);
      matches.forEach((m, i) => assert.ok(Math.abs(m.score - expected[q]![i]!.score) < 1e-6));
    });
  });

  it('gives the same answer however the gallery is cut into chunks', async () => {
    assert.deepEqual((await streamed(100)).results(), (await streamed(1_000)).results());
  });

  it('breaks ties by key, so the chunk a match arrived in does not matter', () => {
    const a = [{ key: 9, score: 0.5 }, { key: 4, score: 0.4 }];
    const b = [{ key: 2, score: 0.5 }, { key: 1, score: 0.3 }];
    assert.deepEqual(mergeTopK(a, b, 3), [{ key: 2, score: 0.5 }, { key: 9, score: 0.5 }, { key: 4, score: 0.4 }]);
    assert.deepEqual(mergeTopK(b, a, 3), mergeTopK(a, b, 3));
  });
});
