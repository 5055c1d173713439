import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecodedImage } from '../../ports/face-engine.ts';
import { mirror, warpSimilarity } from './warp.ts';

const image: DecodedImage = {
  width: 4,
  height: 3,
  rgb: Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i * 7),
};

describe('similarity warp', () => {
  it('copies pixels under the identity', () => {
    const out = warpSimilarity({ ...image, width: 3, height: 3, rgb: image.rgb.slice(0, 27) }, { a: 1, b: 0, tx: 0, ty: 0 }, 3);
    assert.deepEqual(Array.from(out), Array.from(image.rgb.slice(0, 27)));
  });

  it('shifts by a translation and fills outside the image with black', () => {
    const out = warpSimilarity(image, { a: 1, b: 0, tx: 1, ty: 0 }, 2);
    // Output (1, 0) comes from source (0, 0); output (0, 0) from (-1, 0), outside.
    assert.deepEqual(Array.from(out.slice(0, 6)), [0, 0, 0, 0, 7, 14]);
  });

  it('interpolates bilinearly between pixels', () => {
    const out = warpSimilarity(image, { a: 1, b: 0, tx: -0.5, ty: 0 }, 1);
    assert.deepEqual(Array.from(out), [Math.round((0 + 21) / 2), Math.round((7 + 28) / 2), Math.round((14 + 35) / 2)]);
  });

  it('mirrors left to right', () => {
    const row = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(mirror(row, 2, 1)), [4, 5, 6, 1, 2, 3]);
  });
});
