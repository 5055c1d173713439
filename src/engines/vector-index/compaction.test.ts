import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { compactIndex, type KeyedVector } from './compaction.ts';
import { ExactIndex } from './exact-index.ts';
import { unitVectors } from './test-vectors.ts';
import { UsearchIndex } from './usearch-index.ts';
import type { Quantisation } from '../../ports/vector-index.ts';

const D = 128;
const ERASED = 987_654_321_987;
const gallery = unitVectors(300, D, 21);
const erased = gallery[150]!;
const keys = gallery.map((_, i) => (i === 150 ? ERASED : i));

/** The bytes an index of this quantisation stores for the vector, as usearch casts it. */
function storedBytes(v: Float32Array, quantisation: Quantisation): Buffer {
  if (quantisation === 'f32') return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (quantisation === 'f16') return Buffer.from(Uint16Array.from(v, toHalf).buffer);
  const magnitude = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return Buffer.from(Int8Array.from(v, (x) => Math.max(-127, Math.min(127, Math.trunc((x * 127) / magnitude)))).buffer);
}

function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const m = (mantissa | 0x800000) >>> (1 - exponent);
    return sign | ((m + 0xfff + ((m >>> 13) & 1)) >>> 13);
  }
  return sign | ((exponent << 10) + ((mantissa + 0xfff + ((mantissa >>> 13) & 1)) >>> 13));
}

const keyBytes = (key: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(key));
  return b;
};
const f32Bytes = storedBytes(erased, 'f32');

function* live(): Generator<KeyedVector[]> {
  const rows = keys.map((vectorKey, i) => ({ vectorKey, embedding: gallery[i]! })).filter((r) => r.vectorKey !== ERASED);
  for (let i = 0; i < rows.length; i += 64) yield rows.slice(i, i + 64);
}

describe('compaction leaves no byte of a removed embedding in the saved index', () => {
  for (const quantisation of ['f32', 'f16', 'i8'] as const) {
    it(`UsearchIndex ${quantisation}`, async () => {
      const path = join(tempDir(), 'gallery.usearch');
      const index = new UsearchIndex({ dimension: D, quantisation, threads: 1 });
      index.add(keys, gallery);
      const representation = storedBytes(erased, quantisation);
      index.save(path);
      assert.ok(readFileSync(path).includes(representation), 'the test can see the stored vector');
      assert.ok(readFileSync(path).includes(keyBytes(ERASED)), 'the test can see the stored key');
      index.remove([ERASED]);
      index.save(path);
      assert.ok(readFileSync(path).includes(representation), 'usearch removal hides but keeps the bytes');
      assert.equal(index.garbage, 1);

      const compacted = await compactIndex(index.emptyLike(), live(), path);
      assert.equal(compacted.quantisation, quantisation);
      const file = readFileSync(path);
      assert.ok(!file.includes(f32Bytes));
      assert.ok(!file.includes(representation));
      assert.ok(!file.includes(keyBytes(ERASED)));
      assert.equal(compacted.size, 299);
      assert.equal(compacted.garbage, 0);
      assert.equal(UsearchIndex.load(path).search(gallery[7]!, 1)[0]!.key, 7);
    });
  }

  it('ExactIndex, without compacting: removal overwrites the row at once', () => {
    const path = join(tempDir(), 'gallery.exact');
    const index = new ExactIndex({ dimension: D });
    index.add(keys, gallery);
    index.save(path);
    assert.ok(readFileSync(path).includes(f32Bytes));
    index.remove([ERASED]);
    index.save(path);
    assert.ok(!readFileSync(path).includes(f32Bytes));
    assert.ok(!readFileSync(path).includes(Buffer.from(new Float64Array([ERASED]).buffer)));
    assert.equal(ExactIndex.load(path).size, 299);
  });
});
