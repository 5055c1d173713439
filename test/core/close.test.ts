import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { buildLikeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { ExactIndex } from '../../src/engines/vector-index/exact-index.ts';
import { defaultPolicy } from '../../src/services/policy/policy.ts';
import { FakeFaceEngine } from '../helpers/fake-face-engine.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// A part that fails to close must not keep the others open: a face engine's worker threads left
// running keep the process alive, and `likeness serve` never exited after SIGTERM.
it('closes the engine and the store even when the indexes cannot be saved, then reports the failure', async () => {
  const config = loadConfig({ dataDir: join(tempDir(), 'data'), env: {} });
  const engine = new FakeFaceEngine();
  let engineClosed = false;
  engine.close = async () => {
    engineClosed = true;
  };
  const likeness = await buildLikeness(config, {
    create: true,
    overrides: {
      policy: defaultPolicy(),
      engine: async () => engine,
      indexFiles: { create: (dimension) => new ExactIndex({ dimension }), load: (path) => ExactIndex.load(path) },
    },
  });
  const gallery = await likeness.catalogue.ensureGallery('default');
  const indexes = await likeness.indexes();
  await indexes.detached!.add(gallery.id, [1], [new Float32Array(engine.dimension).fill(0.1)]);
  // The index folder is gone from under the process, so the index cannot be saved.
  rmSync(config.indexDir, { recursive: true, force: true });
  writeFileSync(config.indexDir, 'not a folder');
  await assert.rejects(likeness.close());
  assert.equal(engineClosed, true, 'the engine is closed');
  await assert.rejects(likeness.store.galleries.list(), 'the store is closed');
});
