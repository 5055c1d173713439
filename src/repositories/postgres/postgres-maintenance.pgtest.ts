// checkpoint() and backup() on PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { isLikenessError } from '../../errors.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { face, image, seededStore } from '../../../test/postgres/store-fixtures.ts';
import { dumpDatabase, findPgDump } from './pg-dump.ts';
import { PostgresStore } from './postgres-store.ts';

const run = promisify(execFile);
const url = testPostgresUrl();
const FACES = 300;

describe('PostgreSQL store maintenance', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  it('checkpoint() makes the space of deleted faces reusable: the same faces again take no more room', async () => {
    const { store } = await seededStore(url!, 512);
    const size = async () => Number((await sql<{ n: number }>`SELECT pg_relation_size('faces') AS n`.execute(store.db)).rows[0]!.n);
    const ingest = async (round: number) => {
      for (let i = 0; i < FACES; i++) await store.images.insertWithFaces(image(`i${round}-${i}`), [face(`f${round}-${i}`, `i${round}-${i}`, i, 512)]);
    };
    try {
      await ingest(1);
      const before = await size();
      await store.faces.deleteByIds(Array.from({ length: FACES }, (_, i) => `f1-${i}`));
      await store.checkpoint();
      await ingest(2);
      assert.equal(await size(), before, 'the new rows went into the space the deleted ones left');
      assert.equal(await store.faces.countActive(), FACES);
    } finally {
      await store.close();
    }
  });

  it('backup() writes a pg_dump of the database that restores into a working store', { skip: findPgDump() ? false : 'no pg_dump' }, async () => {
    const { store } = await seededStore(url!);
    const file = join(tempDir(), 'likeness.dump');
    try {
      await store.images.insertWithFaces(image('i1'), [face('f1', 'i1', 1, 8)]);
      await store.transaction((tx) => tx.accounts.audit.append({
        seq: 1, at: 'now', actor: 'cli:root', client: null, action: 'test', target: null, details: {}, prevHash: '0'.repeat(64), hash: '1'.repeat(64),
      }));
      await store.backup(file);
    } finally {
      await store.close();
    }
    assert.equal(readFileSync(file).subarray(0, 5).toString(), 'PGDMP', 'the custom format');

    const target = await freshDatabase(url!);
    // --no-owner, --no-comments: the role restoring need not own what it restores, nor the extension.
    await run('pg_restore', ['--no-owner', '--no-comments', '--exit-on-error', `--dbname=${target}`, file]);
    const restored = await PostgresStore.open(target);
    try {
      assert.equal(restored.dimension, 8);
      const [again] = await restored.faces.embeddingsByVectorKeys([(await restored.faces.findById('f1'))!.vectorKey]);
      assert.deepEqual(again!.embedding, face('f1', 'i1', 1, 8).embedding);
      assert.equal((await restored.accounts.audit.last())?.seq, 1);
      // The triggers came back with the table.
      await assert.rejects(sql`DELETE FROM audit_log`.execute(restored.db), /append-only/);
      // And the sequence: the restored store goes on from the keys it holds.
      const [next] = await restored.images.insertWithFaces(image('i2'), [face('f2', 'i2', 2, 8)]);
      assert.ok(next! > (await restored.faces.findById('f1'))!.vectorKey);
    } finally {
      await restored.close();
    }
  });

  it('backup() without pg_dump says how to back up PostgreSQL instead', async () => {
    await assert.rejects(dumpDatabase(url!, join(tempDir(), 'x.dump'), '/nonexistent/pg_dump'), (e) =>
      isLikenessError(e, 'LIKENESS_BACKUP_UNAVAILABLE') && /pg_basebackup/.test(e.message));
  });
});
