import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { defaultAgeModel } from '../age/age-model-file.ts';
import { OnnxAgeEstimator } from '../age/onnx-age-estimator.ts';
import { perceptualHash } from '../image/perceptual-hash.ts';
import { decodeImage } from './decode.ts';
import { FaceEnginePool } from './face-engine-pool.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { fixture, PROJECT_DIR } from './test-fixtures.ts';

const config = defaultFaceModelConfig(PROJECT_DIR);
const extras = { perceptualHash: true, estimateAges: true } as const;

// What ingestion asks of the engine so that its own thread does no pixel work: the image's
// perceptual hash and each face's age, the same figures the main thread used to compute itself.
describe('Face engine: perceptual hash and ages with the faces', () => {
  let engine: OnnxFaceEngine;
  let ages: OnnxAgeEstimator;
  before(async () => {
    [engine, ages] = await Promise.all([OnnxFaceEngine.create(config, { ageModel: defaultAgeModel(PROJECT_DIR) }), OnnxAgeEstimator.open()]);
  });
  after(() => Promise.all([engine.close(), ages.close()]));

  it('gives the hash and, for every face, the age that a full decode of the photo gives', async () => {
    for (const bytes of [fixture('group.jpg'), fixture('faces', 'Colin_Powell_0001.jpg')]) {
      const analysed = await engine.analyse(bytes, extras);
      assert.equal(analysed.perceptualHash, await perceptualHash(bytes));
      assert.ok(analysed.faces.length > 0);
      const decoded = await decodeImage(bytes);
      for (const face of analysed.faces) assert.equal(face.estimatedAge, await ages.estimate(decoded, face.box));
    }
  });

  it('gives neither unless asked, and the same faces either way', async () => {
    const bytes = fixture('group.jpg');
    const [plain, asked] = [await engine.analyse(bytes), await engine.analyse(bytes, extras)];
    assert.equal(plain.perceptualHash, undefined);
    assert.ok(plain.faces.every((f) => f.estimatedAge === undefined));
    assert.deepEqual(plain.faces.map((f) => Array.from(f.embedding)), asked.faces.map((f) => Array.from(f.embedding)));
  });

  it('estimates the face of a large photo, decoded at reduced size, as an adult like the small one', async () => {
    const bytes = fixture('faces', 'Colin_Powell_0001.jpg');
    const large = await sharp(bytes).resize(4000, 4000, { kernel: 'cubic' }).jpeg({ quality: 95 }).toBuffer();
    const [small, big] = [(await engine.analyse(bytes, extras)).faces[0], (await engine.analyse(large, extras)).faces[0]];
    assert.ok(small?.estimatedAge !== undefined && big?.estimatedAge !== undefined);
    assert.ok(big.estimatedAge > 18, `estimated ${big.estimatedAge}`);
    assert.ok(Math.abs(big.estimatedAge - small.estimatedAge) < 5, `${big.estimatedAge} against ${small.estimatedAge}`);
  });

  it('has no ages to give without the age model, and still the hash', async () => {
    const bare = await OnnxFaceEngine.create(config);
    try {
      const analysed = await bare.analyse(fixture('group.jpg'), extras);
      assert.ok(analysed.faces.length > 0 && analysed.faces.every((f) => f.estimatedAge === undefined));
      assert.equal(analysed.perceptualHash, await perceptualHash(fixture('group.jpg')));
    } finally {
      await bare.close();
    }
  });

  it('gives the same hash and ages from the worker pool', async () => {
    const pool = await FaceEnginePool.create(config, { workers: 1, ageModel: defaultAgeModel(PROJECT_DIR) });
    try {
      const bytes = fixture('group.jpg');
      const [pooled, direct] = [await pool.analyse(bytes, extras), await engine.analyse(bytes, extras)];
      assert.equal(pooled.perceptualHash, direct.perceptualHash);
      assert.deepEqual(pooled.faces.map((f) => f.estimatedAge), direct.faces.map((f) => f.estimatedAge));
    } finally {
      await pool.close();
    }
  });
});
