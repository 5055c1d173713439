import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SSR_NET_AGE, ssrNetRegression, type SsrNetStage } from './ssr-net.ts';

const stage = (p: number[], eta = [0, 0, 0], delta = 0): SsrNetStage => ({ probabilities: p, offsets: eta, delta });

describe('ssrNetRegression', () => {
  it('reads a certain first-stage bin as that third of the range', () => {
    // Bin 2 of 3 at stage 1, bin 0 after: 101 * 2/3.
    const age = ssrNetRegression([stage([0, 0, 1]), stage([1, 0, 0]), stage([1, 0, 0])]);
    assert.ok(Math.abs(age - (101 * 2) / 3) < 1e-9);
  });

  it('adds finer stages at a ninth and a twenty-seventh of the range', () => {
    const age = ssrNetRegression([stage([0, 1, 0]), stage([0, 0, 1]), stage([0, 1, 0])]);
    assert.ok(Math.abs(age - 101 * (1 / 3 + 2 / 9 + 1 / 27)) < 1e-9);
  });

  it('shifts bins by their offsets and rescales stages by delta, compounding', () => {
    const s1 = stage([0.2, 0.5, 0.3], [0.1, -0.2, 0.3], 0.5);
    const s2 = stage([0.6, 0.3, 0.1], [0, 0.4, 0], -0.25);
    const s3 = stage([0.1, 0.1, 0.8], [0.2, 0.2, 0.2], 0);
    const a = (0 + 0.1) * 0.2 + (1 - 0.2) * 0.5 + (2 + 0.3) * 0.3;
    const b = 0 * 0.6 + (1 + 0.4) * 0.3 + 2 * 0.1;
    const c = 0.2 * 0.1 + 1.2 * 0.1 + 2.2 * 0.8;
    const d1 = 3 * 1.5;
    const d2 = d1 * 3 * 0.75;
    const d3 = d2 * 3 * 1;
    const expected = 101 * (a / d1 + b / d2 + c / d3);
    assert.ok(Math.abs(ssrNetRegression([s1, s2, s3], SSR_NET_AGE) - expected) < 1e-9);
  });

  it('refuses the wrong number of stages', () => {
    assert.throws(() => ssrNetRegression([stage([1, 0, 0])]), /3 stages/);
  });
});
