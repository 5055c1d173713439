import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFmrTable } from '../../repositories/files/fmr-table-file.ts';
import { FalseMatchRate } from './false-match-rate.ts';
import { galleryThreshold } from './gallery-threshold.ts';

describe('galleryThreshold on the shipped calibration', () => {
  const rates = new FalseMatchRate(loadFmrTable(undefined));

  it('is the calibrated FMR 1e-4 score for a small gallery', () => {
    const floor = rates.scoreAt(1e-4);
    assert.equal(galleryThreshold(rates, 1_000, 0.1), floor);
    assert.ok(Math.abs(rates.at(floor).fmr - 1e-4) < 1e-9);
  });

  it('rises with the gallery so that faces searched x rate stays at the limit', () => {
    let previous = galleryThreshold(rates, 1_000, 0.1);
    for (const faces of [10_000, 100_000, 1_000_000, 10_000_000]) {
      const t = galleryThreshold(rates, faces, 0.1);
      assert.ok(t > previous, `${faces} faces: ${t} after ${previous}`);
      assert.ok(Math.abs(faces * rates.at(t).fmr - 0.1) < 1e-6, `${faces} faces expect ${faces * rates.at(t).fmr}`);
      previous = t;
    }
    assert.equal(rates.at(galleryThreshold(rates, 1_000_000, 0.1)).extrapolated, true);
  });

  it('never goes below the configured threshold', () => {
    assert.equal(galleryThreshold(rates, 10, 0.1, 0.5), 0.5);
  });
});
