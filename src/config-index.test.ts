import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { CONFIG_FILE, loadConfig } from './config.ts';
import { DEFAULT_INDEX_PROFILE } from './engines/vector-index/index-profile.ts';

function withConfig(content: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(content));
  return dir;
}

describe('config: index profiles', () => {
  it('uses the measured defaults when the file says nothing', () => {
    assert.deepEqual(loadConfig({ dataDir: tempDir(), env: {} }).index, { default: DEFAULT_INDEX_PROFILE, galleries: {} });
  });

  it('takes a default profile and per-gallery overrides', () => {
    const dir = withConfig({ index: { expansionSearch: 128, galleries: { archive: { quantisation: 'i8' } } } });
    const { index } = loadConfig({ dataDir: dir, env: {} });
    assert.equal(index.default.expansionSearch, 128);
    assert.equal(index.default.quantisation, DEFAULT_INDEX_PROFILE.quantisation);
    assert.deepEqual(index.galleries, { archive: { quantisation: 'i8' } });
  });

  it('refuses a bad setting at start, naming its key', () => {
    const dir = withConfig({ index: { galleries: { archive: { quantisation: 'int4' } } } });
    assert.throws(() => loadConfig({ dataDir: dir, env: {} }), (error: Error & { code?: string }) =>
      error.code === 'LIKENESS_CONFIG_INVALID' && /index\.galleries\.archive\.quantisation must be one of/.test(error.message));
  });
});
