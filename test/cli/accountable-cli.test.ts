import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');

interface ExportedEntry { seq: number; actor: string; action: string; target: string | null; details: Record<string, unknown> }

const exported = async (data: string): Promise<ExportedEntry[]> => {
  const run = await runCli(data, 'audit', 'export');
  assert.equal(run.code, 0, run.stderr);
  return run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ExportedEntry);
};

describe('the CLI acts as the local operator: accountable searches and an audit log that cannot be rolled back unnoticed', () => {
  // Made here, not in a hook: tempDir() removes its folder when the enclosing suite ends.
  const root = tempDir();
  const data = join(root, 'data');
  const folder = join(GALLERY, readdirSync(GALLERY).sort()[0]!);
  const photo = join(folder, readdirSync(folder).sort()[0]!);

  it('ingests a folder as the local operator', async () => {
    assert.equal((await runCli(data, 'init')).code, 0);
    assert.equal((await runCli(data, 'source', 'add', 'one', '--kind', 'directory', '--uri', folder, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30')).code, 0);
    assert.equal((await runCli(data, 'ingest', folder, '--source', 'one')).code, 0);
  });

  it('refuses a search or a comparison without a case number, exit 2 naming the rule, and audits it', async () => {
    const search = await runCli(data, 'search', photo, '--purpose', 'test');
    assert.equal(search.code, 2, search.stderr);
    assert.match(search.stderr, /^likeness: LIKENESS_SEARCH_UNJUSTIFIED: .*case-number-required/);
    const compare = await runCli(data, 'compare', photo, photo);
    assert.equal(compare.code, 2, compare.stderr);
    assert.match(compare.stderr, /case-number-required/);
    const refused = (await exported(data)).filter((e) => e.action === 'search.refused' || e.action === 'compare.refused');
    assert.deepEqual(refused.map((e) => e.details.ruleId), ['case-number-required', 'case-number-required']);
    assert.ok(refused.every((e) => e.actor.startsWith('local:')));
  });

  it('runs a justified search and comparison, audited with the case like an HTTP search', async () => {
    const search = await runCli(data, 'search', photo, '--case', 'C-42', '--purpose', 'identify a witness', '--json');
    assert.equal(search.code, 0, search.stderr);
    const result = JSON.parse(search.stdout) as { searchId: string; candidates: Array<{ faceId: string; falseMatchRate: number }> };
    assert.ok(result.candidates.length > 0);
    const compare = await runCli(data, 'compare', photo, photo, '--case', 'C-42', '--purpose', 'identify a witness');
    assert.equal(compare.code, 0, compare.stderr);
    const entries = await exported(data);
    const audited = entries.find((e) => e.action === 'search' && e.target === result.searchId);
    assert.ok(audited, 'the search is in the audit log');
    assert.equal(audited.details.caseNumber, 'C-42');
    assert.deepEqual((audited.details.results as Array<{ faceId: string }>).map((r) => r.faceId), result.candidates.map((c) => c.faceId));
    assert.equal(entries.filter((e) => e.action === 'compare').at(-1)?.details.caseNumber, 'C-42');
    // Every image ingestion committed is in the log, in the same transaction as its faces.
    assert.ok(entries.some((e) => e.action === 'ingest.image'));
  });

  it('keeps an erasure entry through a restore of an older backup, and fails verify on a cut tail', async () => {
    const search = JSON.parse((await runCli(data, 'search', photo, '--case', 'C-1', '--purpose', 'test', '--json', '--top', '1')).stdout) as { candidates: Array<{ faceId: string }> };
    const faceId = search.candidates[0]!.faceId;
    assert.equal((await runCli(data, 'backup', join(root, 'backup'))).code, 0);
    const deleted = await runCli(data, 'face', 'delete', faceId);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await runCli(data, 'source', 'add', 'two', '--kind', 'directory', '--uri', root, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30')).code, 0);
    const restored = await runCli(data, 'restore', join(root, 'backup'));
    assert.equal(restored.code, 0, restored.stderr);

    const entries = await exported(data);
    const erasure = entries.find((e) => e.action === 'erasure');
    assert.ok(erasure && (erasure.details.faceIds as string[]).includes(faceId), 'the erasure made after the backup is still on record');
    assert.ok(entries.some((e) => e.action === 'source.declare' || e.target === 'two' || JSON.stringify(e.details).includes('"two"')), 'so is the source declared after it');
    assert.equal(entries.at(-1)!.action, 'restore');
    const verified = await runCli(data, 'audit', 'verify');
    assert.equal(verified.code, 0, verified.stderr);
    const head = JSON.parse((await runCli(data, 'audit', 'head')).stdout) as { seq: number; hash: string };
    assert.equal(head.seq, entries.at(-1)!.seq);

    // Someone with the file drops the append-only triggers and deletes the last three entries.
    const db = new BetterSqlite3(join(data, 'likeness.db'));
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.seq - 3);
    db.close();
    const cut = await runCli(data, 'audit', 'verify');
    assert.notEqual(cut.code, 0);
    assert.match(cut.stderr, new RegExp(`LIKENESS_AUDIT_BROKEN: entry ${head.seq - 2} `));
  });
});
