import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../domain/types.ts';
import { ARCFACE_TEMPLATE_112 } from './model-config.ts';
import { applySimilarity, decompose, estimateSimilarity, invertSimilarity, type Similarity } from './similarity-transform.ts';

const known = (angle: number, scale: number, tx: number, ty: number): Similarity =>
  ({ a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx, ty });

describe('estimateSimilarity', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const truth = known(0.3, 1.7, -12.5, 40);
    const to = ARCFACE_TEMPLATE_112.map((p) => applySimilarity(truth, p));
    const found = estimateSimilarity(ARCFACE_TEMPLATE_112, to);
    assert.ok(Math.abs(found.a - truth.a) < 1e-9);
    assert.ok(Math.abs(found.b - truth.b) < 1e-9);
    assert.ok(Math.abs(found.tx - truth.tx) < 1e-9);
    assert.ok(Math.abs(found.ty - truth.ty) < 1e-9);
    const { angle, scale } = decompose(found);
    assert.ok(Math.abs(angle - 0.3) < 1e-9 && Math.abs(scale - 1.7) < 1e-9);
  });

  it('is the least-squares fit under noise: no perturbation of it lowers the residual', () => {
    const truth = known(-0.8, 0.45, 100, 7);
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
    const to: Point[] = ARCFACE_TEMPLATE_112.map((p) => {
      const [x, y] = applySimilarity(truth, p);
      return [x + noise(), y + noise()];
    });
    const fit = estimateSimilarity(ARCFACE_TEMPLATE_112, to);
    const residual = (t: Similarity) => ARCFACE_TEMPLATE_112.reduce((sum, p, i) => {
      const [x, y] = applySimilarity(t, p);
      const [u, v] = to[i] as Point;
      return sum + (x - u) ** 2 + (y - v) ** 2;
    }, 0);
    const best = residual(fit);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) {
      for (const step of [1e-3, -1e-3]) assert.ok(residual({ ...fit, [key]: fit[key] + step }) > best);
    }
    const { angle, scale } = decompose(fit);
    assert.ok(Math.abs(angle + 0.8) < 0.05, `angle ${angle}`);
    assert.ok(Math.abs(scale - 0.45) < 0.05, `scale ${scale}`);
  });

  it('never fits a mirror image with a reflection', () => {
    const mirrored: Point[] = ARCFACE_TEMPLATE_112.map(([x, y]) => [112 - x, y]);
    const fit = estimateSimilarity(ARCFACE_TEMPLATE_112, mirrored);
    // A reflection would map the points exactly; a proper rotation cannot.
    const residual = ARCFACE_TEMPLATE_112.reduce((sum, p, i) => {
      const [x, y] = applySimilarity(fit, p);
      const [u, v] = mirrored[i] as Point;
      return sum + (x - u) ** 2 + (y - v) ** 2;
    }, 0);
    assert.ok(residual > 100, `residual ${residual}`);
  });

  it('inverts', () => {
    const t = known(1.1, 2.5, 3, -4);
    const p: Point = [17, 29];
    const [x, y] = applySimilarity(invertSimilarity(t), applySimilarity(t, p));
    assert.ok(Math.abs(x - 17) < 1e-9 && Math.abs(y - 29) < 1e-9);
  });

  it('refuses coincident points', () => {
    assert.throws(() => estimateSimilarity([[1, 1], [1, 1]], [[0, 0], [1, 1]]), RangeError);
  });
});
