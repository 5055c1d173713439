import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { SqliteStore } from '../../src/repositories/sqlite/sqlite-store.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');

async function activeFaces(data: string): Promise<number> {
  const store = await SqliteStore.open(join(data, 'likeness.db'));
  try {
    return await store.faces.countActive();
  } finally {
    await store.close();
  }
}

// docs/architecture.md, "Paths": a directory source reads only regular files whose real path
// stays inside the folder it declared (issue 15, finding 3).
describe('likeness ingest keeps inside the declared folder', () => {
  const root = realpathSync(tempDir());
  const data = join(root, 'data');
  const declared = join(root, 'photos');
  const outside = join(root, 'elsewhere');
  mkdirSync(declared);
  mkdirSync(outside);
  copyFileSync(join(FACES, 'Colin_Powell_0001.jpg'), join(declared, 'powell.jpg'));
  for (const name of ['George_W_Bush_0001.jpg', 'Serena_Williams_0001.jpg', 'Tony_Blair_0002.jpg']) copyFileSync(join(FACES, name), join(outside, name));
  symlinkSync(outside, join(declared, 'link'));
  symlinkSync(join(outside, 'George_W_Bush_0001.jpg'), join(declared, 'bush.jpg'));

  const addSource = (name: string, uri: string) => runCli(data, 'source', 'add', name, '--kind', 'directory', '--uri', uri, '--legal-basis', 'legitimate-interests',
    '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30');

  it('declares a folder as its real path, and refuses one that does not exist', async () => {
    assert.equal((await runCli(data, 'init')).code, 0);
    assert.equal((await addSource('press', join(declared, 'link'))).code, 0);
    const missing = await addSource('ghost', join(root, 'no-such-folder'));
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /LIKENESS_SOURCE_INVALID: .*does not exist/);
    const store = await SqliteStore.open(join(data, 'likeness.db'));
    try {
      // Stored as where the link leads, so changing the link later cannot widen what the source reads.
      assert.equal((await store.sources.findByName('press'))?.uri, outside);
      assert.equal(await store.sources.findByName('ghost'), undefined);
    } finally {
      await store.close();
    }
  });

  it('`likeness ingest <folder>/link`, a link leaving the folder, stores no face', async () => {
    assert.equal((await addSource('album', declared)).code, 0);
    const run = await runCli(data, 'ingest', join(declared, 'link'), '--source', 'album');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /LIKENESS_PATH_REFUSED/);
    assert.equal(await activeFaces(data), 0);
  });

  it('ingests the folder\'s own files and refuses, by name, a file link that leaves it', async () => {
    const run = await runCli(data, 'ingest', '--source', 'album', '--json');
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { ingested: number; failed: number; failures: Array<{ path: string; code: string }> };
    assert.equal(summary.ingested, 1);
    assert.deepEqual(summary.failures.map((f) => [f.path, f.code]), [[join(declared, 'bush.jpg'), 'LIKENESS_PATH_REFUSED']]);
    assert.equal(await activeFaces(data), 1);
  });
});
