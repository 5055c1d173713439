import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const SUBJECT = join(PROJECT_ROOT, 'samples', 'gallery', 'Serena_Williams');
const SELFIE = join(PROJECT_ROOT, 'test', 'fixtures', 'faces', 'Serena_Williams_0002.jpg');

// The DPO's commands as a user runs them: request, list, approve, report, execute, sweep, backup, restore.
describe('likeness subject, retention, backup and restore', { skip: !existsSync(SUBJECT) }, () => {
  const root = tempDir();
  const data = join(root, 'data');
  const photos = join(root, 'photos');
  let requestId: string;

  before(async () => {
    cpSync(SUBJECT, photos, { recursive: true });
    assert.equal((await runCli(data, 'init')).code, 0);
    const added = await runCli(data, 'source', 'add', 'press', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
      '--jurisdiction', 'DE', '--retention-days', '30', '--special-category', 'substantial-public-interest');
    assert.equal(added.code, 0, added.stderr);
    assert.equal((await runCli(data, 'ingest', '--source', 'press')).code, 0);
  });

  it('files an erasure request and prints its id on the last line', async () => {
    const run = await runCli(data, 'subject', 'request', 'erasure', '--selfie', SELFIE, '--contact', 'serena@example.org');
    assert.equal(run.code, 0, run.stderr);
    requestId = run.stdout.trim().split('\n').at(-1)!;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.match(run.stdout, /received; due by \d{4}-\d\d-\d\d/);
    assert.match((await runCli(data, 'subject', 'list')).stdout, new RegExp(`${requestId}\terasure\treceived`));
  });

  it('backs up, approves, reports, executes, and a restore keeps the faces erased', async () => {
    const backup = join(root, 'backup');
    assert.equal((await runCli(data, 'backup', backup)).code, 0);
    const approve = await runCli(data, 'subject', 'approve', requestId);
    assert.equal(approve.code, 0, approve.stderr);
    assert.match(approve.stdout, /approved: 4 face\(s\)/);
    const report = JSON.parse((await runCli(data, 'subject', 'report', requestId, '--json')).stdout);
    assert.equal(report.faces.length, 4);
    assert.ok(report.faces.every((f: { image: { path: string } }) => f.image.path.includes('Serena_Williams')));
    assert.match((await runCli(data, 'subject', 'execute', requestId)).stdout, /4 face\(s\) erased, template on the suppression list/);

    const restore = await runCli(data, 'restore', backup);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /4 face\(s\) erased again/);
    const search = JSON.parse((await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', SELFIE, '--json')).stdout);
    assert.equal(search.candidates.length, 0);
    assert.match((await runCli(data, 'retention', 'sweep')).stdout, /erased 0 expired face\(s\)/);
  });
});
