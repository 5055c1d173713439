import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegeneratedVectors } from './regenerated-vectors.ts';
import { SyntheticFaces } from './synthetic-faces.ts';

const D = 32;
const faces = new SyntheticFaces({ faces: 500, dimension: D, seed: 3, effectiveDimension: 10, facesPerIdentity: [1, 9] });
const all = new Float32Array(500 * D);
faces.fill(0, 500, all);
const row = (key: number) => all.subarray(key * D, (key + 1) * D);

describe('Re-ranking vectors regenerated from the synthetic gallery', () => {
  it('are the vectors the gallery was built from, bit for bit, and nothing for keys it does not hold', () => {
    const stored = new RegeneratedVectors(faces);
    const got = stored.vectorsOf([499, 0, 137, 500, -1]);
    assert.deepEqual(got.slice(0, 3), [row(499), row(0), row(137)].map((v) => Float32Array.from(v)));
    assert.deepEqual(got.slice(3), [undefined, undefined]);
    assert.equal(stored.regenerated, 3);
  });

  it('serve prefetched keys without making them again, as copies a caller may change', () => {
    const stored = new RegeneratedVectors(faces);
    stored.prefetch([5, 6, 5, 9_999]);
    assert.equal(stored.prefetched, 2);
    const [first] = stored.vectorsOf([5]);
    first!.fill(0);
    assert.deepEqual(stored.vectorsOf([5, 6]), [Float32Array.from(row(5)), Float32Array.from(row(6))]);
    assert.equal(stored.regenerated, 0);
    stored.vectorsOf([7]);
    assert.equal(stored.regenerated, 1);
  });
});
