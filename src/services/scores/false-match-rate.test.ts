import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FalseMatchRate } from './false-match-rate.ts';

describe('FalseMatchRate', () => {
  // 100 pairs are trusted: with 10M pairs the table is read down to 1e-5.
  const table = new FalseMatchRate({ impostorPairs: 10_000_000, points: [
    { score: 0.1, fmr: 1e-1 }, { score: 0.2, fmr: 1e-2 }, { score: 0.3, fmr: 1e-3 }, { score: 0.4, fmr: 1e-4 },
    { score: 0.5, fmr: 1e-5 }, { score: 0.6, fmr: 5e-6 }, { score: 0.9, fmr: 2e-6 },
  ] });

  it('interpolates log-linearly between measured points', () => {
    assert.ok(Math.abs(table.at(0.25).fmr - 10 ** -2.5) < 1e-12);
    assert.ok(Math.abs(table.at(0.45).fmr - 10 ** -4.5) < 1e-12);
    assert.equal(table.at(0.45).extrapolated, false);
  });

  it('clamps below the table', () => {
    assert.equal(table.at(-0.5).fmr, 1e-1);
  });

  it('past the rates measured on enough pairs, follows the fitted tail and says so', () => {
    const reading = table.at(0.7);
    assert.equal(reading.extrapolated, true);
    // The measured decades fall by one per 0.1 of score: the tail goes on so, ignoring the few-pair points.
    assert.ok(Math.abs(Math.log10(reading.fmr) - -7) < 1e-9, `got ${reading.fmr}`);
    assert.ok(table.at(0.95).fmr < table.at(0.7).fmr);
  });

  it('finds the lowest score at a rate, in the table and in the tail', () => {
    assert.ok(Math.abs(table.scoreAt(1e-4) - 0.4) < 1e-9);
    assert.ok(Math.abs(table.scoreAt(1e-8) - 0.8) < 1e-9);
  });

  it('refuses a table whose rate rises with the score', () => {
    assert.throws(() => new FalseMatchRate({ points: [{ score: 0, fmr: 0.1 }, { score: 1, fmr: 0.2 }] }), RangeError);
  });
});
