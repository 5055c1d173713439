import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../../config.ts';
import type { Box } from '../../domain/types.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import { defaultAgeModel } from './age-model-file.ts';
import { OnnxAgeEstimator } from './onnx-age-estimator.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'age');

// Boxes from the model pack's fr_detect on these images; ages as this estimator first gave
// them (their real ages at the time: about 54, 32 and 64).
const faces: Array<{ file: string; box: Box; seen: number }> = [
  { file: 'George_W_Bush_0001.jpg', box: { x: 85, y: 59, width: 93, height: 131 }, seen: 55.7 },
  { file: 'Jennifer_Lopez_0001.jpg', box: { x: 69, y: 65, width: 100, height: 126 }, seen: 34.0 },
  { file: 'Colin_Powell_0001.jpg', box: { x: 76, y: 71, width: 81, height: 111 }, seen: 52.7 },
];

async function decode(file: string): Promise<DecodedImage> {
  const { data, info } = await sharp(join(FIXTURES, file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgb: new Uint8Array(data) };
}

describe('OnnxAgeEstimator on fr_age.onnx', () => {
  let estimator: OnnxAgeEstimator;
  before(async () => { estimator = await OnnxAgeEstimator.open(); });
  after(async () => { await estimator.close(); });

  for (const face of faces) {
    it(`estimates ${face.file} as an adult, as before`, async () => {
      const age = await estimator.estimate(await decode(face.file), face.box);
      assert.ok(age > 18 && age < 100, `estimated ${age}`);
      assert.ok(Math.abs(age - face.seen) < 1, `estimated ${age}, ${face.seen} before: preprocessing changed?`);
    });
  }

  it('gives the same answer twice', async () => {
    const image = await decode(faces[0]!.file);
    assert.equal(await estimator.estimate(image, faces[0]!.box), await estimator.estimate(image, faces[0]!.box));
  });

  it('refuses an empty box', async () => {
    await assert.rejects(estimator.estimate(await decode(faces[0]!.file), { x: 1, y: 1, width: 0, height: 5 }), { code: 'LIKENESS_BAD_INPUT' });
  });
});

describe('OnnxAgeEstimator model integrity', () => {
  it('takes its pinned hash from package.json', () => {
    assert.equal(defaultAgeModel().sha256, '74c9b01700cb9ef96f7190a2230218414ff99d231415c4b091a755780cad5e8a');
  });

  it('refuses a model file whose SHA-256 differs from the pin', async () => {
    const dir = tempDir();
    const copy = join(dir, 'fr_age.onnx');
    copyFileSync(defaultAgeModel().path, copy);
    writeFileSync(copy, Buffer.from([0]), { flag: 'a' });
    await assert.rejects(OnnxAgeEstimator.open({ model: { path: copy, sha256: defaultAgeModel().sha256 } }),
      { code: 'LIKENESS_MODEL_INTEGRITY', message: /SHA-256/ });
  });

  it('refuses a missing model file', async () => {
    await assert.rejects(OnnxAgeEstimator.open({ model: { path: join(tempDir(), 'none.onnx'), sha256: '0'.repeat(64) } }),
      { code: 'LIKENESS_MODEL_INTEGRITY' });
  });
});
