import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../config.ts';
import { replayedPhoto } from '../../../test/helpers/replayed-photo.ts';
import { decodeImage } from '../face/decode.ts';
import { defaultFaceModelConfig } from '../face/model-config.ts';
import { OnnxFaceEngine } from '../face/onnx-face-engine.ts';
import { defaultLivenessModel, OnnxLivenessDetector } from './onnx-liveness.ts';

const photo = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', name));

describe('fr_liveness.onnx on real photos', { skip: !existsSync(defaultLivenessModel().path) }, () => {
  let engine: OnnxFaceEngine;
  let detector: OnnxLivenessDetector;
  before(async () => {
    engine = await OnnxFaceEngine.create(defaultFaceModelConfig(PROJECT_ROOT));
    detector = await OnnxLivenessDetector.open();
  });
  after(async () => {
    await engine?.close();
    await detector?.close();
  });

  const live = async (bytes: Uint8Array) => {
    const face = (await engine.analyse(bytes)).faces[0];
    assert.ok(face, 'a face is found');
    return (await detector.check(await decodeImage(bytes), face.box)).live;
  };

  it('passes a frontal camera photo and fails a photo of its print', async () => {
    for (const name of ['George_W_Bush_0001.jpg', 'Serena_Williams_0002.jpg']) {
      const original = await live(photo(name));
      const replayed = await live(await replayedPhoto(photo(name)));
      console.log(`# ${name}: live ${original.toFixed(3)}, photo of its print ${replayed.toFixed(3)}`);
      assert.ok(original >= 0.5, `${name} live ${original}`);
      assert.ok(replayed < 0.05, `${name} replayed ${replayed}`);
    }
  });

  it('refuses a model file whose hash is not the pinned one', async () => {
    await assert.rejects(OnnxLivenessDetector.open({ model: { ...defaultLivenessModel(), sha256: '0'.repeat(64) } }), { code: 'LIKENESS_MODEL_INTEGRITY' });
  });
});
