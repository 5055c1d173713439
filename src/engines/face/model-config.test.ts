import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { PROJECT_DIR } from './test-fixtures.ts';

describe('face model configuration', () => {
  it('pins the same hashes as the installer in package.json', () => {
    const pinned = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')).modelPack.files as Record<string, string>;
    const config = defaultFaceModelConfig(PROJECT_DIR);
    for (const model of [config.detector, config.landmarks, config.recogniser]) {
      const name = model.path.split(/[\\/]/).pop() as string;
      assert.equal(model.sha256, pinned[name], name);
    }
  });

  it('refuses a model whose hash does not match', async () => {
    const config = defaultFaceModelConfig(PROJECT_DIR);
    config.recogniser.sha256 = '0'.repeat(64);
    await assert.rejects(OnnxFaceEngine.create(config), (e) => isLikenessError(e, 'LIKENESS_MODEL_INTEGRITY'));
  });

  it('refuses a missing model file', async () => {
    const config = defaultFaceModelConfig(PROJECT_DIR);
    config.detector.path = join(PROJECT_DIR, 'models', 'missing.onnx');
    await assert.rejects(OnnxFaceEngine.create(config), (e) => isLikenessError(e, 'LIKENESS_MODEL_INTEGRITY'));
  });
});
