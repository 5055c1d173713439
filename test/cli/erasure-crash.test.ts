import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');

it('an erasure killed the instant its row leaves the store leaves the face whole, and erasing it again survives a restore', async () => {
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
