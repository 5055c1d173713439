import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../../config.ts';
import { cropFace } from './face-crop.ts';

const PHOTO = readFileSync(join(PROJECT_ROOT, 'samples', 'probes', 'Colin_Powell_0009.jpg'));

describe('cropFace', () => {
  it('cuts a square JPEG around the box', async () => {
    const jpeg = await cropFace(PHOTO, { x: 90, y: 80, width: 70, height: 90 });
    const meta = await sharp(jpeg).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 192, 192]);
  });

  it('stays inside the image when the box touches its edge', async () => {
    const jpeg = await cropFace(PHOTO, { x: 200, y: 200, width: 80, height: 80 }, 64);
    assert.equal((await sharp(jpeg).metadata()).width, 64);
  });
});
