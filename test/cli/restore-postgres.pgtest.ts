import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config.ts';
import { filesContaining } from '../helpers/data-dir-scan.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { POSTGRES_ADMIN_URL_ENV, POSTGRES_DATA_DIR_ENV, testPostgresUrl } from '../postgres/env.ts';
import { freshDatabase } from '../postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../postgres/physical-erasure-setup.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
const pgData = process.env[POSTGRES_DATA_DIR_ENV];

interface Candidate { faceId: string }
interface Entry { seq: number; action: string; target: string | null; details: Record<string, unknown> }

// docs/architecture.md, "Erasure survives a restore", on PostgreSQL: the backup is a pg_dump archive,
// and restoring it must neither bring an erased face back nor lose what was audited since.
describe('likeness restore on PostgreSQL', { skip: url && adminUrl && pgData ? false : 'needs the LIKENESS_TEST_POSTGRES_* variables' }, () => {
  const root = tempDir();
  const data = join(root, 'data');
  const photo = join(FACES, 'Serena_Williams_0001.jpg');
  let store: string;
  let sql: pg.Client;
  const cli = (...args: string[]) => runCli(data, '--store', store, ...args);
  const searchIds = async (): Promise<string[]> => {
    const run = await cli('search', '--case', 'T-1', '--purpose', 'test', photo, '--json', '--top', '5');
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { candidates: Candidate[] }).candidates.map((c) => c.faceId);
  };
  const addSource = async (name: string) => {
    const added = await cli('source', 'add', name, '--kind', 'directory', '--uri', FACES, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30');
    assert.equal(added.code, 0, added.stderr);
  };

  before(async () => {
    store = await freshDatabase(url!, 'likeness_restore');
    await allowPhysicalErasure(adminUrl!, store);
    sql = new pg.Client({ connectionString: store });
    await sql.connect();
    assert.equal((await cli('init')).code, 0);
    await addSource('fixtures');
    const ingested = await cli('ingest', FACES, '--source', 'fixtures');
    assert.equal(ingested.code, 0, ingested.stderr);
  });

  after(async () => {
    await sql?.end();
  });

  it('brings back neither an erased face nor its bytes, and keeps the audit entries made since the backup', async () => {
    const [erased] = await searchIds();
    const { rows: [row] } = await sql.query<{ embedding: string }>('SELECT embedding::text AS embedding FROM faces WHERE id = $1', [erased]);
    const embedding = Float32Array.from(row!.embedding.slice(1, -1).split(',').map(Number));
    const needle = Buffer.from(embedding.buffer, 4 * 200, 4 * 32);

    const backup = await cli('backup', join(root, 'backup'));
    assert.equal(backup.code, 0, backup.stderr);
    const deleted = await cli('face', 'delete', erased!);
    assert.equal(deleted.code, 0, deleted.stderr);
    await addSource('added-after-backup');

    const restored = await cli('restore', join(root, 'backup'));
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /1 face\(s\) erased again/);

    assert.ok(!(await searchIds()).includes(erased!), 'the erased face is not searchable');
    const { rows: [left] } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM faces WHERE id = $1', [erased]);
    assert.equal(Number(left!.n), 0, 'nor in the faces table');
    const { rows: [sources] } = await sql.query<{ names: string[] }>('SELECT array_agg(name ORDER BY name) AS names FROM sources');
    assert.deepEqual(sources!.names, ['fixtures'], 'the store is the backup\'s: the source added since is not in it');
    assert.deepEqual(filesContaining(pgData!, needle), [], 'no file of the data directory holds the erased embedding');

    const exported = await cli('audit', 'export');
    assert.equal(exported.code, 0, exported.stderr);
    const entries = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as Entry);
    const erasure = entries.find((e) => e.action === 'erasure' && (e.details.faceIds as string[]).includes(erased!));
    const sourceAdded = entries.find((e) => e.action === 'source.add' && e.details.name === 'added-after-backup');
    const restore = entries.find((e) => e.action === 'restore');
    assert.ok(erasure, 'the erasure naming the face');
    assert.ok(sourceAdded, 'the source added after the backup');
    assert.ok(restore && restore.seq > sourceAdded.seq && sourceAdded.seq > erasure.seq, 'the restore closes what was carried over');
    assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1), 'one chain, no entry lost or repeated');
    const verified = await cli('audit', 'verify');
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });

  it('refuses the backup of another store, and a SQLite backup, leaving the database as it was', async () => {
    const backup = join(root, 'backup-of-another-store');
    assert.equal((await cli('backup', backup)).code, 0);
    const other = await freshDatabase(url!, 'likeness_restore_other');
    await allowPhysicalErasure(adminUrl!, other);
    const otherData = join(root, 'other');
    const otherCli = (...args: string[]) => runCli(otherData, '--store', other, ...args);
    assert.equal((await otherCli('init')).code, 0);
    const added = await otherCli('source', 'add', 'own', '--kind', 'directory', '--uri', FACES, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30');
    assert.equal(added.code, 0, added.stderr);

    const forked = await otherCli('restore', backup);
    assert.equal(forked.code, 2, forked.stderr);
    assert.match(forked.stderr, /LIKENESS_CONFLICT: .*not a past state of this store/);

    const sqliteBackup = join(root, 'sqlite-backup');
    const sqliteData = join(root, 'sqlite');
    assert.equal((await runCli(sqliteData, 'init')).code, 0);
    assert.equal((await runCli(sqliteData, 'backup', sqliteBackup)).code, 0);
    const wrongKind = await otherCli('restore', sqliteBackup);
    assert.equal(wrongKind.code, 2, wrongKind.stderr);
    assert.match(wrongKind.stderr, /LIKENESS_BAD_INPUT: .*not a pg_dump archive/);

    const listed = await otherCli('source', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /"own"/);
    assert.doesNotMatch(listed.stdout, /"fixtures"/);
    assert.equal((await otherCli('audit', 'verify')).code, 0);

    // A restore that pg_restore cannot carry out (a view of the operator's own depends on faces, so
    // faces cannot be dropped): refused, and the store it was to replace stays as it was and open
    // to every command, not held closed as an unfinished restore.
    try {
      await sql.query('CREATE VIEW operator_face_ids AS SELECT id FROM faces');
      const before = await cli('audit', 'head');
      assert.equal(before.code, 0, before.stderr);
      const refused = await cli('restore', backup);
      assert.match(refused.stderr, /LIKENESS_BACKUP_UNAVAILABLE: pg_restore failed to restore the backup/);
      const afterwards = await cli('audit', 'head');
      assert.equal(afterwards.code, 0, afterwards.stderr);
      assert.equal(afterwards.stdout, before.stdout);
    } finally {
      await sql.query('DROP VIEW IF EXISTS operator_face_ids');
    }
  });
});
