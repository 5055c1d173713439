import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accuracyAt, bestThreshold, kFoldAccuracy, rocAuc, rocCurve, tarAtFar, thresholdAtFar, type ScoredPair,
} from './verification-metrics.ts';

const same = (score: number): ScoredPair => ({ score, same: true });
const diff = (score: number): ScoredPair => ({ score, same: false });

describe('verification metrics', () => {
  it('finds the threshold that separates separable scores', () => {
    const pairs = [diff(0.1), diff(0.2), diff(0.3), same(0.6), same(0.7)];
    const best = bestThreshold(pairs);
    assert.equal(best.accuracy, 1);
    assert.ok(best.threshold > 0.3 && best.threshold <= 0.6);
    assert.equal(accuracyAt(pairs, best.threshold), 1);
  });

  it('finds the best threshold with overlap, and handles the all-same extreme', () => {
    assert.equal(bestThreshold([diff(0.1), same(0.2), diff(0.3), same(0.4), same(0.5)]).accuracy, 0.8);
    assert.equal(bestThreshold([same(0.1), same(0.2)]).accuracy, 1);
  });

  it('picks each fold threshold on the other folds only', () => {
    // Fold 0 alone would want a threshold near 0.85; folds 1 and 2 agree on ~0.5.
    const pairs = [diff(0.8), same(0.9), diff(0.1), same(0.6), diff(0.2), same(0.7)];
    const result = kFoldAccuracy(pairs, [0, 0, 1, 1, 2, 2]);
    assert.deepEqual(result.perFold, [0.5, 1, 1]);
    assert.ok(Math.abs(result.mean - 2.5 / 3) < 1e-12);
    assert.ok(Math.abs(result.std - Math.sqrt(((0.5 - 2.5 / 3) ** 2 + 2 * (1 - 2.5 / 3) ** 2) / 3)) < 1e-12);
  });

  it('gives AUC 1 for separable scores, 0.5 for indistinguishable ones, and the Mann-Whitney value otherwise', () => {
    assert.equal(rocAuc(rocCurve([diff(0.1), diff(0.2), same(0.8), same(0.9)])), 1);
    assert.equal(rocAuc(rocCurve([diff(0.5), same(0.5)])), 0.5);
    // Positives outrank negatives in 3 of 4 comparisons.
    assert.equal(rocAuc(rocCurve([diff(0.1), same(0.2), diff(0.3), same(0.4)])), 0.75);
  });

  it('traces the ROC from (0,0) to (1,1)', () => {
    const curve = rocCurve([diff(0.1), same(0.2), diff(0.3), same(0.4)]);
    assert.deepEqual(curve.map((p) => [p.far, p.tar]), [[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]]);
  });

  it('reads TAR at a FAR from the impostor scores', () => {
    const impostors = Array.from({ length: 1000 }, (_, i) => diff(i / 1000));
    const genuine = [same(0.9975), same(0.9985), same(0.9995), same(0.5)];
    const result = tarAtFar([...impostors, ...genuine], 1e-3);
    // One false accept is allowed: the threshold sits just above the second-highest impostor, 0.998.
    assert.ok(result);
    assert.ok(result.threshold > 0.998 && result.threshold < 0.9985);
    assert.equal(result.tar, 0.5);
    assert.equal(result.far, 1e-3);
  });

  it('says a FAR is not measurable with too few impostors', () => {
    assert.equal(tarAtFar([diff(0.1), same(0.9)], 1e-3), null);
  });

  it('places the FAR threshold above every impostor when none may pass', () => {
    assert.ok(thresholdAtFar([0.7, 0.5], 0.1) > 0.7);
  });
});
