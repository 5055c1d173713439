import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { firstSamplePerson, ingestFolder } from '../helpers/one-person-gallery.ts';
import { tempDir } from '../helpers/temp-dir.ts';

it('an erasure killed the instant its row leaves the store leaves the face whole, and erasing it again survives a restore', async () => {
  const root = tempDir();
  const data = join(root, 'data');
  const { folder, photo } = firstSamplePerson();
  await ingestFolder(data, folder);
  const topFace = async () => {
    const run = await runCli(data, 'search', photo, '--case', 'T-1', '--purpose', 'test', '--json', '--top', '1');
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { candidates: Array<{ faceId: string }> }).candidates[0]?.faceId;
  };
  const faceId = await topFace();
  assert.ok(faceId);
  assert.equal((await runCli(data, 'backup', join(root, 'backup'))).code, 0);

  const crashed = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test', 'helpers', 'erase-then-crash.ts'), data, faceId],
    { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(crashed.signal, 'SIGKILL', crashed.stderr);

  // Nothing of the erasure committed: the face is whole and searchable, and nothing claims it was erased.
  assert.equal((await runCli(data, 'face', 'show', faceId)).code, 0);
  assert.equal(await topFace(), faceId);
  const audit = await runCli(data, 'audit', 'export');
  assert.ok(!audit.stdout.includes('"action":"erasure"'));
  assert.equal((await runCli(data, 'audit', 'verify')).code, 0);

  // So the erasure can be run again, and this time it is ledgered: a restore does not bring the face back.
  const again = await runCli(data, 'face', 'delete', faceId);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /erased 1 face/);
  const restored = await runCli(data, 'restore', join(root, 'backup'));
  assert.equal(restored.code, 0, restored.stderr);
  assert.notEqual(await topFace(), faceId);
  assert.equal((await runCli(data, 'face', 'show', faceId)).code, 2);
});
