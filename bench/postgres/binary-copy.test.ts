import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COPY_HEADER, encodeTuple, encodeValue } from './binary-copy.ts';

describe('binary COPY encoding', () => {
  it('starts with the 19-byte signature, flags and header extension', () => {
    assert.equal(COPY_HEADER.length, 19);
    assert.equal(COPY_HEADER.subarray(0, 11).toString('latin1'), 'PGCOPY\n\xff\r\n\0');
  });

  it('writes a vector as pgvector receives it', () => {
    const bytes = encodeValue('vector(2)', Float32Array.of(0.5, -1));
    assert.deepEqual([...bytes], [0, 2, 0, 0, 0x3f, 0, 0, 0, 0xbf, 0x80, 0, 0]);
    assert.throws(() => encodeValue('vector(3)', Float32Array.of(1, 2)), /length/);
  });

  it('writes integers big-endian, jsonb with its version byte, times from 2000-01-01', () => {
    assert.deepEqual([...encodeValue('bigint', 258)], [0, 0, 0, 0, 0, 0, 1, 2]);
    assert.deepEqual([...encodeValue('jsonb', '{}')], [1, 0x7b, 0x7d]);
    assert.equal(encodeValue('timestamp with time zone', '2000-01-01T00:00:01Z').readBigInt64BE(), 1_000_000n);
    assert.throws(() => encodeValue('point', 'x'), /not supported/);
  });

  it('frames a tuple: field count, lengths, -1 for NULL', () => {
    const tuple = encodeTuple(['text', 'text', 'integer'], ['ab', null, 7]);
    assert.deepEqual([...tuple], [0, 3, 0, 0, 0, 2, 0x61, 0x62, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4, 0, 0, 0, 7]);
  });
});
