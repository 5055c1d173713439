import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { firstSamplePerson, ingestFolder } from '../helpers/one-person-gallery.ts';
import { tempDir } from '../helpers/temp-dir.ts';

it('a restore killed after it replaced the store serves nothing until resumed, and the resumed restore keeps erased faces erased', async () => {
  const root = tempDir();
  const data = join(root, 'data');
  const backup = join(root, 'backup');
  const { folder, photo } = firstSamplePerson();
  await ingestFolder(data, folder);
  const search = () => runCli(data, 'search', photo, '--case', 'T-2', '--purpose', 'test', '--json', '--top', '1');
  const found = await search();
  assert.equal(found.code, 0, found.stderr);
  const faceId = (JSON.parse(found.stdout) as { candidates: Array<{ faceId: string }> }).candidates[0]?.faceId;
  assert.ok(faceId);
  assert.equal((await runCli(data, 'backup', backup)).code, 0);
  // Erased after the backup: only the ledger of the store a restore replaces remembers it.
  const erased = await runCli(data, 'face', 'delete', faceId);
  assert.equal(erased.code, 0, erased.stderr);

  const crashed = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test', 'helpers', 'restore-then-crash.ts'), data, backup],
    { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(crashed.signal, 'SIGKILL', crashed.stderr);

  // The store on disk is now the backup's, which holds the face: nothing may search or show it.
  for (const run of [await search(), await runCli(data, 'face', 'show', faceId)]) {
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /LIKENESS_RESTORE_UNFINISHED.*likeness restore --resume/);
  }
  assert.equal((await runCli(data, 'restore')).code, 2, 'a backup folder or --resume');
  // A new restore would read what to carry over from the backup's store and lose the journalled one.
  const again = await runCli(data, 'restore', backup);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /LIKENESS_RESTORE_UNFINISHED/);

  const resumed = await runCli(data, 'restore', '--resume');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /1 face\(s\) erased again/);
  assert.equal((await runCli(data, 'face', 'show', faceId)).code, 2);
  const after = await search();
  assert.equal(after.code, 0, after.stderr);
  assert.notEqual((JSON.parse(after.stdout) as { candidates: Array<{ faceId: string }> }).candidates[0]?.faceId, faceId);
  const audit = await runCli(data, 'audit', 'export');
  assert.match(audit.stdout, /"action":"erasure"/, 'the erasure\'s audit entry was carried over');
  assert.equal((await runCli(data, 'audit', 'verify')).code, 0);
  assert.equal((await runCli(data, 'restore', '--resume')).code, 2, 'nothing left to resume');
});
