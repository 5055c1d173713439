import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../domain/types.ts';
import { ARCFACE_TEMPLATE_112 } from './model-config.ts';
import { laplacianVariance, poseFromFivePoints } from './quality.ts';
import { applySimilarity } from './similarity-transform.ts';

describe('face quality', () => {
  it('reads a frontal, level face from the alignment template', () => {
    const { yaw, roll } = poseFromFivePoints(ARCFACE_TEMPLATE_112);
    assert.ok(Math.abs(yaw) < 3, `yaw ${yaw}`);
    assert.ok(Math.abs(roll) < 1, `roll ${roll}`);
  });

  it('reads roll from a rotated face without mistaking it for yaw', () => {
    const angle = (20 * Math.PI) / 180;
    const turned = ARCFACE_TEMPLATE_112.map((p) => applySimilarity({ a: Math.cos(angle), b: Math.sin(angle), tx: 0, ty: 0 }, p));
    const { yaw, roll } = poseFromFivePoints(turned);
    assert.ok(Math.abs(roll - 20) < 1, `roll ${roll}`);
    assert.ok(Math.abs(yaw) < 3, `yaw ${yaw}`);
  });

  it('gives yaw the sign of the side the nose points to', () => {
    const shifted = (dx: number): Point[] => ARCFACE_TEMPLATE_112.map(([x, y], i) => [i === 2 ? x + dx : x, y]);
    assert.ok(poseFromFivePoints(shifted(10)).yaw > 20);
    assert.ok(poseFromFivePoints(shifted(-10)).yaw < -20);
  });

  it('scores sharp detail above blur and a flat image at zero', () => {
    const size = 32;
    const checker = new Float32Array(size * size).map((_, i) => (((i % size) + Math.floor(i / size)) % 2) * 255);
    const ramp = new Float32Array(size * size).map((_, i) => (i % size) * 8);
    assert.equal(laplacianVariance(new Float32Array(size * size).fill(90), size, size), 0);
    assert.ok(laplacianVariance(checker, size, size) > laplacianVariance(ramp, size, size));
  });
});
