import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../domain/types.ts';
import { fivePointsFrom68, landmarkCrop } from './landmarks.ts';

describe('68 to 5 landmarks', () => {
  // Point i sits at (i, 1000 + i), so every mean is easy to predict.
  const points: Point[] = Array.from({ length: 68 }, (_, i) => [i, 1000 + i]);

  it('takes eye centres from the lid points, the nose tip and the mean mouth corners', () => {
    const five = fivePointsFrom68(points);
    assert.deepEqual(five, [
      [(37 + 38 + 40 + 41) / 4, 1000 + (37 + 38 + 40 + 41) / 4],
      [(43 + 44 + 46 + 47) / 4, 1000 + (43 + 44 + 46 + 47) / 4],
      [30, 1030],
      [(48 + 60) / 2, 1000 + (48 + 60) / 2],
      [(54 + 64) / 2, 1000 + (54 + 64) / 2],
    ]);
  });

  it('refuses any other number of points', () => {
    assert.throws(() => fivePointsFrom68(points.slice(1)), RangeError);
  });
});

describe('landmark crop', () => {
  it('is a square of the box height around the box centre', () => {
    assert.deepEqual(landmarkCrop({ x: 100, y: 50, width: 80, height: 120 }, 500, 500), { x: 80, y: 50, width: 120, height: 120 });
  });

  it('is clamped to the image', () => {
    assert.deepEqual(landmarkCrop({ x: 0, y: 10, width: 40, height: 100 }, 300, 90), { x: 0, y: 10, width: 70, height: 80 });
  });
});
