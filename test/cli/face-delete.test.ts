import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../helpers/run-cli.ts';
import { firstSamplePerson, ingestFolder } from '../helpers/one-person-gallery.ts';
import { tempDir } from '../helpers/temp-dir.ts';

it('an operator deletion is an erasure: unsearchable at once, and a restored backup does not bring it back', async () => {
  const root = tempDir();
  const data = join(root, 'data');
  const { folder, photo } = firstSamplePerson();
  await ingestFolder(data, folder);
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
