import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputBuffers } from './input-buffers.ts';

describe('InputBuffers', () => {
  it('never hands one buffer to two runs at once', () => {
    const buffers = new InputBuffers();
    const first = buffers.lease(16);
    const second = buffers.lease(16);
    assert.notEqual(first, second);
    assert.equal(first.length, 16);
  });

  it('hands a released buffer out again for the same length only', () => {
    const buffers = new InputBuffers();
    const used = buffers.lease(16);
    buffers.release(used);
    assert.notEqual(buffers.lease(8), used);
    assert.equal(buffers.lease(16), used);
    assert.notEqual(buffers.lease(16), used, 'taken already');
  });

  it('keeps no more than it was told, however many are released', () => {
    const buffers = new InputBuffers(2);
    const leased = [buffers.lease(4), buffers.lease(4), buffers.lease(4)];
    for (const b of leased) buffers.release(b);
    buffers.release(leased[0]!);
    const again = new Set([buffers.lease(4), buffers.lease(4), buffers.lease(4)]);
    assert.equal([...again].filter((b) => leased.includes(b)).length, 2);
  });
});
