import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { isLikenessError, type ErrorCode } from '../../errors.ts';
import { DEFAULT_DECODE_LIMITS, decodeImage } from './decode.ts';
import { fixture } from './test-fixtures.ts';

async function rejectsWith(bytes: Uint8Array, code: ErrorCode, limits = DEFAULT_DECODE_LIMITS): Promise<void> {
  await assert.rejects(decodeImage(bytes, limits), (error) => {
    assert.ok(isLikenessError(error, code), `expected ${code}, got ${String(error)}`);
    return true;
  });
}

describe('decodeImage', () => {
  it('decodes a photo to packed RGB', async () => {
    const image = await decodeImage(fixture('faces', 'Colin_Powell_0001.jpg'));
    assert.equal(image.width, 250);
    assert.equal(image.height, 250);
    assert.equal(image.rgb.length, 250 * 250 * 3);
  });

  it('refuses text with a .jpg name', () => rejectsWith(fixture('bad', 'not-an-image.jpg'), 'LIKENESS_NOT_AN_IMAGE'));
  it('refuses an empty file', () => rejectsWith(new Uint8Array(0), 'LIKENESS_NOT_AN_IMAGE'));
  it('refuses random bytes behind a JPEG header', () => rejectsWith(fixture('bad', 'corrupt.jpg'), 'LIKENESS_CORRUPT_IMAGE'));
  it('refuses a JPEG cut in half', () => rejectsWith(fixture('bad', 'truncated.jpg'), 'LIKENESS_CORRUPT_IMAGE'));
  it('refuses a 1x1 image', () => rejectsWith(fixture('bad', 'tiny.png'), 'LIKENESS_IMAGE_TOO_SMALL'));
  it('refuses a decompression bomb before decoding it', () => rejectsWith(fixture('bad', 'bomb.png'), 'LIKENESS_IMAGE_TOO_LARGE'));

  it('refuses a file over the byte limit', () =>
    rejectsWith(fixture('faces', 'Colin_Powell_0001.jpg'), 'LIKENESS_IMAGE_TOO_LARGE', { ...DEFAULT_DECODE_LIMITS, maxBytes: 1024 }));

  it('refuses an image over the pixel limit', () =>
    rejectsWith(fixture('faces', 'Colin_Powell_0001.jpg'), 'LIKENESS_IMAGE_TOO_LARGE', { ...DEFAULT_DECODE_LIMITS, maxPixels: 200 * 200 }));

  it('refuses vector images, which would be rendered rather than decoded', () =>
    rejectsWith(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>'), 'LIKENESS_NOT_AN_IMAGE'));

  it('applies the EXIF orientation', async () => {
    const sideways = await sharp({ create: { width: 80, height: 40, channels: 3, background: '#ff0000' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await decodeImage(sideways);
    assert.deepEqual([image.width, image.height], [40, 80]);
  });

  it('drops alpha and expands greyscale to three channels', async () => {
    const rgba = await sharp({ create: { width: 40, height: 40, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } }).png().toBuffer();
    assert.equal((await decodeImage(rgba)).rgb.length, 40 * 40 * 3);
    const grey = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#777777' } }).greyscale().jpeg().toBuffer();
    const decoded = await decodeImage(grey);
    assert.equal(decoded.rgb.length, 40 * 40 * 3);
    assert.equal(decoded.rgb[0], decoded.rgb[2]);
  });
});
