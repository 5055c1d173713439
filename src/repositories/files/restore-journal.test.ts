import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import { clearRestoreJournal, readRestoreJournal, refuseUnfinishedRestore, restorePending, restoreRunning, writeRestoreJournal, type RestoreJournal } from './restore-journal.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'likeness-journal-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const journal: RestoreJournal = {
  backup: '/backups/monday', store: '/data/likeness.db', process: { pid: 1, host: 'elsewhere' }, actor: 'local:ops', backupHead: { seq: 12, hash: 'ab'.repeat(32) },
  carried: {
    ledger: [{ id: 'l1', at: '2026-12-01T00:00:00.000Z', actor: 'local:dpo', reason: 'subject-erasure', requestId: 'r1', faceIds: ['f1', 'f2'], imageSha256: ['cd'.repeat(32)] }],
    // A template that is a view into a larger buffer: its own bytes are kept, not the buffer's.
    suppression: [{ id: 's1', requestId: 'r2', modelId: 'm', template: new Float32Array(new Float32Array([9, 0.25, -1.5, 3e-7]).buffer, 4, 3), createdAt: '2026-12-01T00:00:00.000Z' }],
    audit: [],
  },
};

describe('restore journal', () => {
  it('gives back what was written, suppression templates bit for bit, and is gone once cleared', async () => {
    const dir = dataDir();
    assert.equal(restorePending(dir), false);
    writeRestoreJournal(dir, journal);
    assert.equal(restorePending(dir), true);
    assert.deepEqual(readdirSync(dir), ['restore-pending.json'], 'no temporary file is left beside it');
    const read = await readRestoreJournal(dir);
    assert.deepEqual({ ...read, carried: { ...read.carried, suppression: [] } }, { ...journal, carried: { ...journal.carried, suppression: [] } });
    assert.deepEqual([...read.carried.suppression[0]!.template], [0.25, -1.5, 3e-7].map((x) => Math.fround(x)));
    clearRestoreJournal(dir);
    assert.equal(restorePending(dir), false);
    await assert.rejects(readRestoreJournal(dir), (e) => isLikenessError(e, 'LIKENESS_NOT_FOUND'));
  });

  it('is written into a data directory that does not exist yet', async () => {
    const dir = join(dataDir(), 'new');
    writeRestoreJournal(dir, journal);
    assert.equal((await readRestoreJournal(dir)).backup, journal.backup);
  });

  it('writes its entries a megabyte at a time and reads them all back in order', async () => {
    // 3 MB of audit entries: several writes. The journal is never one string: the entries since a
    // backup may pass the ~536M characters a JavaScript string holds.
    const padding = 'x'.repeat(1000);
    const audit = Array.from({ length: 3000 }, (_, seq) => ({
      seq: seq + 1, at: '2026-12-01T00:00:00.000Z', actor: 'local:ops', client: null, action: 'search', target: `s${seq}`,
      details: { padding }, prevHash: String(seq - 1), hash: String(seq),
    }));
    const dir = dataDir();
    writeRestoreJournal(dir, { ...journal, carried: { ...journal.carried, audit } });
    const read = await readRestoreJournal(dir);
    assert.deepEqual(read.carried.audit, audit);
    assert.deepEqual(read.carried.ledger, journal.carried.ledger);
  });

  it('tells a restore still running on this host from one that was interrupted', () => {
    const dir = dataDir();
    // This test's parent process runs; a process that has exited does not; another host's pid says nothing here.
    writeRestoreJournal(dir, { ...journal, process: { pid: process.ppid, host: hostname() } });
    assert.deepEqual(restoreRunning(dir), { pid: process.ppid });
    assert.throws(() => refuseUnfinishedRestore(dir), (e) => isLikenessError(e, 'LIKENESS_RESTORE_UNFINISHED') && /in progress \(process \d+\)/.test(e.message));
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeRestoreJournal(dir, { ...journal, process: { pid: exited, host: hostname() } });
    assert.equal(restoreRunning(dir), undefined);
    assert.throws(() => refuseUnfinishedRestore(dir), (e) => isLikenessError(e, 'LIKENESS_RESTORE_UNFINISHED') && /interrupted.*--resume/.test(e.message));
    writeRestoreJournal(dir, { ...journal, process: { pid: process.ppid, host: `not-${hostname()}` } });
    assert.equal(restoreRunning(dir), undefined);
  });

  it('refuses a journal it cannot read, naming the file', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'restore-pending.json'), '{"format":1,"backup":');
    await assert.rejects(readRestoreJournal(dir), (e) => isLikenessError(e, 'LIKENESS_CONFIG_INVALID') && e.message.includes('restore-pending.json'));
  });
});
