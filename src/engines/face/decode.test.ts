import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { isLikenessError, type ErrorCode } from '../../errors.ts';
import { DEFAULT_DECODE_LIMITS, decodeForAnalysis, decodeImage, jpegShrink } from './decode.ts';
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

describe('decodeForAnalysis', () => {
  const working = { minShorterSide: 960, minLongerSide: 1280 };

  it('picks the largest JPEG scaling that keeps both sides at their working minimum', () => {
    assert.equal(jpegShrink(250, 250, working), 1);
    assert.equal(jpegShrink(4000, 3000, working), 2);
    assert.equal(jpegShrink(3000, 4000, working), 2);
    assert.equal(jpegShrink(8000, 6000, working), 4);
    assert.equal(jpegShrink(20000, 16000, working), 8);
    assert.equal(jpegShrink(6000, 1000, working), 1);
  });

  it('decodes a large upright JPEG at reduced size and says by how much', async () => {
    const sideways = await sharp({ create: { width: 4000, height: 2000, channels: 3, background: '#336699' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const decoded = await decodeForAnalysis(sideways, DEFAULT_DECODE_LIMITS, working);
    assert.deepEqual([decoded.width, decoded.height], [2000, 4000]);
    assert.deepEqual([decoded.image.width, decoded.image.height], [1000, 2000]);
    assert.deepEqual([decoded.scaleX, decoded.scaleY], [2, 2]);
    assert.equal(decoded.image.rgb.length, 1000 * 2000 * 3);
  });

  it('decodes other formats, and small JPEGs, at full size', async () => {
    const png = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#336699' } }).png().toBuffer();
    const decoded = await decodeForAnalysis(png, DEFAULT_DECODE_LIMITS, working);
    assert.deepEqual([decoded.image.width, decoded.scaleX], [3000, 1]);
    const small = await decodeForAnalysis(fixture('faces', 'Colin_Powell_0001.jpg'), DEFAULT_DECODE_LIMITS, working);
    assert.deepEqual([small.image.width, small.scaleX, small.scaleY], [250, 1, 1]);
  });
});
