import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageCropRegion, ageInput, FR_AGE_CROP } from './age-crop.ts';

describe('ageCropRegion', () => {
  it('widens the box by the margin about its centre', () => {
    assert.deepEqual(ageCropRegion({ width: 400, height: 400 }, { x: 150, y: 150, width: 100, height: 100 }, 1.4),
      { x: 130, y: 130, width: 140, height: 140 });
  });

  it('slides the region inside the image instead of cutting it', () => {
    assert.deepEqual(ageCropRegion({ width: 400, height: 400 }, { x: 0, y: 320, width: 100, height: 70 }, 1.4),
      { x: 0, y: 301, width: 140, height: 98 });
  });

  it('widens less when the image cannot hold the full margin', () => {
    const r = ageCropRegion({ width: 121, height: 121 }, { x: 10, y: 10, width: 100, height: 100 }, 1.4);
    assert.deepEqual(r, { x: 0, y: 0, width: 120, height: 120 });
  });
});

describe('ageInput', () => {
  it('is NCHW, 3 x 64 x 64, ImageNet-normalised RGB', () => {
    const width = 100;
    const height = 100;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb.set([255, 0, 128], 3 * i);
    const input = ageInput({ width, height, rgb }, { x: 20, y: 20, width: 50, height: 50 });
    assert.equal(input.length, 3 * 64 * 64);
    const [m, s] = [FR_AGE_CROP.mean, FR_AGE_CROP.std];
    assert.ok(Math.abs(input[0]! - (1 - m[0]) / s[0]) < 1e-6, 'red plane first');
    assert.ok(Math.abs(input[64 * 64]! - (0 - m[1]) / s[1]) < 1e-6);
    assert.ok(Math.abs(input[2 * 64 * 64 + 100]! - (128 / 255 - m[2]) / s[2]) < 1e-6);
  });

  it('resamples a horizontal ramp into a ramp', () => {
    const width = 64;
    const height = 64;
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.fill(x * 4, 3 * (y * width + x), 3 * (y * width + x) + 3);
    const input = ageInput({ width, height, rgb }, { x: 0, y: 0, width: 63, height: 63 }, { ...FR_AGE_CROP, mean: [0, 0, 0], std: [1, 1, 1], margin: 1 });
    for (let x = 1; x < 64; x++) assert.ok(input[x]! >= input[x - 1]!, 'left to right never darkens');
    assert.ok(input[0]! < 0.02 && input[63]! > 0.95);
  });
});
