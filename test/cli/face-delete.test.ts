import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');

it('an operator deletion is an erasure: unsearchable at once, and a restored backup does not bring it back', async () => {
  const root = tempDir();
  const data = join(root, 'data');
  const person = readdirSync(GALLERY).sort()[0]!;
  const folder = join(GALLERY, person);
  const photo = join(folder, readdirSync(folder).sort()[0]!);
  assert.equal((await runCli(data, 'init')).code, 0);
  assert.equal((await runCli(data, 'source', 'add', 'one', '--kind', 'directory', '--uri', folder, '--legal-basis', 'legitimate-interests',
    '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30')).code, 0);
  assert.equal((await runCli(data, 'ingest', folder, '--source', 'one')).code, 0);
  const topFace = async () => {
    const run = await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', photo, '--json', '--top', '1');
    return (JSON.parse(run.stdout) as { candidates: Array<{ faceId: string; score: number }> }).candidates[0];
  };
  const found = await topFace();
  assert.ok(found && found.score > 0.99, 'the photo finds its own face');
  assert.equal((await runCli(data, 'backup', join(root, 'backup'))).code, 0);

  const deleted = await runCli(data, 'face', 'delete', found.faceId);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /erased 1 face/);
  assert.notEqual((await topFace())?.faceId, found.faceId, 'gone from the very next search');

  assert.equal((await runCli(data, 'restore', join(root, 'backup'))).code, 0);
  assert.notEqual((await topFace())?.faceId, found.faceId, 'the restored backup re-applies the erasure ledger');
  const again = await runCli(data, 'face', 'delete', found.faceId);
  assert.equal(again.code, 2);
  assert.match(again.stdout, /not found/);
});
