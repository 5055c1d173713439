import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FalseMatchRate } from './false-match-rate.ts';

describe('FalseMatchRate', () => {
  const table = new FalseMatchRate({ impostorPairs: 1_000_000, points: [
    { score: 0.1, fmr: 1e-1 }, { score: 0.3, fmr: 1e-3 }, { score: 0.5, fmr: 1e-5 }, { score: 0.6, fmr: 0 },
  ] });

  it('interpolates log-linearly between points', () => {
    assert.ok(Math.abs(table.at(0.2).fmr - 1e-2) < 1e-12);
    assert.ok(Math.abs(table.at(0.4).fmr - 1e-4) < 1e-12);
    assert.equal(table.at(0.4).upperBound, false);
  });

  it('clamps below the table and reports an upper bound where the measurement runs out', () => {
    assert.equal(table.at(-0.5).fmr, 1e-1);
    assert.deepEqual(table.at(0.9), { fmr: 1e-6, upperBound: true });
    assert.equal(table.at(0.55).upperBound, true);
  });

  it('refuses a table whose rate rises with the score', () => {
    assert.throws(() => new FalseMatchRate({ points: [{ score: 0, fmr: 0.1 }, { score: 1, fmr: 0.2 }] }), RangeError);
  });
});
