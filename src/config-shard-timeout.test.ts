import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { CONFIG_FILE, loadConfig } from './config.ts';

function withConfig(content: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(content));
  return dir;
}

describe('config: how long a search waits for each shard', () => {
  it('waits 5 s unless told, and takes the file\'s value', () => {
    assert.equal(loadConfig({ dataDir: tempDir(), env: {} }).search.shardTimeoutMs, 5000);
    assert.equal(loadConfig({ dataDir: withConfig({ search: { shardTimeoutMs: 750 } }), env: {} }).search.shardTimeoutMs, 750);
  });

  for (const bad of [0, -1, 2.5, '100', 600_001]) {
    it(`refuses ${JSON.stringify(bad)} at start, naming the key`, () => {
      assert.throws(() => loadConfig({ dataDir: withConfig({ search: { shardTimeoutMs: bad } }), env: {} }), (error: Error & { code?: string }) =>
        error.code === 'LIKENESS_CONFIG_INVALID' && /search\.shardTimeoutMs must be a whole number of milliseconds/.test(error.message));
    });
  }
});
