import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExactIndex } from './exact-index.ts';
import { RerankingIndex } from './reranking-index.ts';
import { nearby, unitVectors } from './test-vectors.ts';
import { UsearchIndex } from './usearch-index.ts';
import { vectorIndexContract } from './vector-index.contract.ts';

/** Stands in for the store of record: keeps the full-precision vector of every key added. */
const store = new Map<number, Float32Array>();
const vectorsOf = (keys: readonly number[]) => keys.map((key) => store.get(key));

class StoreBacked extends RerankingIndex {
  override add(keys: readonly number[], vectors: readonly Float32Array[]): void {
    super.add(keys, vectors);
    keys.forEach((key, i) => store.set(key, vectors[i]!));
  }
}

vectorIndexContract('RerankingIndex over UsearchIndex i8', {
  create: (dimension) => new StoreBacked(new UsearchIndex({ dimension, quantisation: 'i8', threads: 2 }), { vectorsOf }),
  load: (path, options) => new StoreBacked(UsearchIndex.load(path, options), { vectorsOf }),
});

describe('RerankingIndex', () => {
  const d = 96;
  const gallery = unitVectors(500, d, 11);
  const keys = gallery.map((_, i) => i);
  const exact = new ExactIndex({ dimension: d });
  exact.add(keys, gallery);
  const full = (ks: readonly number[]) => ks.map((k) => gallery[k]);

  it('returns exact cosines, in exact order, for the candidates a quantised index finds', () => {
    const coarse = new UsearchIndex({ dimension: d, quantisation: 'i8', threads: 1 });
    coarse.add(keys, gallery);
    const index = new RerankingIndex(coarse, { vectorsOf: full, multiplier: 4 });
    for (let i = 0; i < 40; i++) {
      const query = nearby(gallery[i * 7]!, i);
      const got = index.search(query, 5);
      const want = exact.search(query, 5);
      assert.deepEqual(got.map((m) => m.key), want.map((m) => m.key));
      got.forEach((m, j) => assert.ok(Math.abs(m.score - want[j]!.score) < 1e-6));
    }
  });

  it('drops a candidate the store no longer has, and asks the inner index for k x multiplier', async () => {
    let asked = 0;
    const inner = new ExactIndex({ dimension: d });
    inner.add(keys, gallery);
    const spy = Object.assign(Object.create(inner) as ExactIndex, {
      search: (q: Float32Array, k: number) => {
        asked = k;
        return inner.search(q, k);
      },
    });
    const index = new RerankingIndex(spy, { vectorsOf: (ks) => ks.map((k) => (k === 3 ? undefined : gallery[k])), multiplier: 2.5 });
    const got = index.search(gallery[3]!, 4);
    assert.equal(asked, 10);
    assert.equal(got.length, 4);
    assert.ok(!got.some((m) => m.key === 3));
    const batch = await index.searchBatch([gallery[3]!, gallery[4]!], 4);
    assert.ok(!batch[0]!.some((m) => m.key === 3));
    assert.equal(batch[1]![0]!.key, 4);
  });
});
