import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDetections } from './detector.ts';
import { iou, nonMaximumSuppression, type ScoredBox } from './nms.ts';

const box = (x1: number, y1: number, x2: number, y2: number, score: number): ScoredBox => ({ x1, y1, x2, y2, score });

describe('non-maximum suppression', () => {
  it('computes intersection over union', () => {
    assert.equal(iou(box(0, 0, 10, 10, 1), box(0, 0, 10, 10, 1)), 1);
    assert.equal(iou(box(0, 0, 10, 10, 1), box(20, 20, 30, 30, 1)), 0);
    assert.equal(iou(box(0, 0, 10, 10, 1), box(5, 0, 15, 10, 1)), 50 / 150);
  });

  it('keeps the best of overlapping boxes and every separate one, best first', () => {
    const kept = nonMaximumSuppression([
      box(0, 0, 10, 10, 0.8),
      box(1, 1, 11, 11, 0.95),
      box(50, 50, 60, 60, 0.7),
      box(0, 0, 10, 9, 0.9),
    ], 0.4);
    assert.deepEqual(kept.map((b) => b.score), [0.95, 0.7]);
  });

  it('keeps boxes overlapping at or below the IoU threshold', () => {
    const kept = nonMaximumSuppression([box(0, 0, 10, 10, 0.9), box(5, 0, 15, 10, 0.8)], 0.4);
    assert.equal(kept.length, 2);
  });

  it('considers only the top-k candidates', () => {
    const kept = nonMaximumSuppression([box(0, 0, 1, 1, 0.5), box(5, 5, 6, 6, 0.9), box(9, 9, 10, 10, 0.7)], 0.4, 2);
    assert.deepEqual(kept.map((b) => b.score), [0.9, 0.7]);
  });
});

describe('decoding detector output', () => {
  it('scales fractional corners to pixels and drops low scores', () => {
    const scores = new Float32Array([0.1, 0.9, 0.8, 0.2, 0.3, 0.7]);
    const boxes = new Float32Array([0.1, 0.2, 0.3, 0.4, 0, 0, 1, 1, 0.5, 0.5, 1.2, 0.9]);
    const found = decodeDetections(scores, boxes, 200, 100, { scoreThreshold: 0.65, nmsIoU: 0.4, topK: 750 });
    assert.equal(found.length, 2);
    const [first, second] = found as [ScoredBox, ScoredBox];
    assert.ok(Math.abs(first.x1 - 20) < 1e-4 && Math.abs(first.y1 - 20) < 1e-4 && Math.abs(first.x2 - 60) < 1e-4 && Math.abs(first.y2 - 40) < 1e-4);
    assert.equal(second.x2, 200, 'clamped to the image');
  });
});
