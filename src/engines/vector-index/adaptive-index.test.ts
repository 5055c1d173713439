import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveIndex } from './adaptive-index.ts';
import { unitVectors } from './test-vectors.ts';
import { vectorIndexContract } from './vector-index.contract.ts';

// Near-exhaustive at these sizes, so answers do not change when the engines swap mid-test.
const hnsw = { threads: 1, quantisation: 'f32', expansionSearch: 256 } as const;
vectorIndexContract('AdaptiveIndex', {
  create: (dimension) => new AdaptiveIndex({ dimension, cutover: 150, hnsw }),
  load: (path, options) => AdaptiveIndex.load(path, { ...options, cutover: 150, hnsw }),
});

describe('AdaptiveIndex', () => {
  const D = 32;
  const vectors = unitVectors(400, D, 3);
  const keys = vectors.map((_, i) => i);

  it('answers exactly below the cut-over and switches to HNSW once past it', async () => {
    const index = new AdaptiveIndex({ dimension: D, cutover: 300, hnsw });
    index.add(keys.slice(0, 299), vectors.slice(0, 299));
    await index.settled();
    assert.equal(index.engine, 'exact');
    index.add(keys.slice(299), vectors.slice(299));
    assert.equal(index.engine, 'exact', 'the exact index answers while the HNSW is built');
    assert.equal(index.search(vectors[350]!, 1)[0]!.key, 350);
    await index.settled();
    assert.equal(index.engine, 'hnsw');
    assert.equal(index.size, 400);
    for (let i = 0; i < 400; i += 13) assert.equal(index.search(vectors[i]!, 1)[0]!.key, i);
    index.close();
  });

  it('keeps every change made while the switch is under way', async () => {
    const index = new AdaptiveIndex({ dimension: D, cutover: 300, hnsw });
    index.add(keys.slice(0, 350), vectors.slice(0, 350));
    const [replacement] = unitVectors(1, D, 99);
    index.remove([5, 6, 340]);
    index.add([7], [replacement!]);
    index.add(keys.slice(350), vectors.slice(350));
    await new Promise((resolve) => setImmediate(resolve));
    index.remove([360]);
    await index.settled();
    assert.equal(index.engine, 'hnsw');
    assert.equal(index.size, 396);
    for (const gone of [5, 6, 340, 360]) {
      assert.ok(!index.has(gone));
      assert.notEqual(index.search(vectors[gone]!, 1)[0]!.key, gone);
    }
    assert.equal(index.search(replacement!, 1)[0]!.key, 7);
    assert.equal(index.search(vectors[399]!, 1)[0]!.key, 399);
    index.close();
  });

  it('can be closed while switching', async () => {
    const index = new AdaptiveIndex({ dimension: D, cutover: 10, hnsw });
    index.add(keys, vectors);
    index.close();
    await index.settled();
  });
});
