import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { POSTGRES_ADMIN_URL_ENV, testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../../../test/postgres/physical-erasure-setup.ts';
import { FaceService } from '../../services/face-service.ts';
import { face, gallery, image, source } from '../contract-fixtures.ts';
import { PgvectorGalleryIndexes } from './pgvector-gallery-indexes.ts';
import { erasePhysically } from './physical-erasure.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
const DIMENSION = 8;
const READER = 'likeness_rebuild_aside_reader';

/** One unit vector per seed, far from the others: a search for it finds it first. */
function vector(seed: number): Float32Array {
  const v = new Float32Array(DIMENSION);
  v[seed % DIMENSION] = 1;
  v[(seed * 3 + 1) % DIMENSION] = seed / 100;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Locks held on faces by anyone, beyond those that reads and writes take (and share). */
async function locksThatStopWriters(store: PostgresStore): Promise<string[]> {
  const { rows } = await sql<{ mode: string }>`SELECT mode FROM pg_locks
    WHERE relation = to_regclass('faces') AND granted AND mode NOT IN ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock')`.execute(store.db);
  return rows.map((r) => r.mode);
}

describe('compaction on PostgreSQL: writes made while faces is rebuilt aside', { skip: url && adminUrl ? false : 'needs the LIKENESS_TEST_POSTGRES_* variables of a local cluster' }, () => {
  let store: PostgresStore;
  let indexes: PgvectorGalleryIndexes;

  before(async () => {
    const database = await freshDatabase(url!, 'likeness_rebuild_aside');
    await allowPhysicalErasure(adminUrl!, database);
    store = await PostgresStore.open(database, { create: true, dimension: DIMENSION });
    await store.galleries.create(gallery);
    await store.sources.create(source);
    for (const i of [0, 1, 2]) {
      const img = image(`i${i}`, `h${i}`);
      await store.images.insertWithFaces(img, [0, 1].map((j) => face(`f${i}-${j}`, img.id, 0, { embedding: vector(i * 2 + j) })));
    }
    indexes = await PgvectorGalleryIndexes.open(store, { now: () => new Date() });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${READER}`);
      await admin.query(`CREATE ROLE ${READER}`);
    } finally {
      await admin.end();
    }
    await sql`GRANT SELECT ON faces TO ${sql.id(READER)}`.execute(store.db);
  });

  after(async () => {
    await store?.close();
  });

  it('keeps a face ingested and honours a face deleted between the copy and the swap, without making them wait', async () => {
    const faces = new FaceService(store, indexes);
    await faces.delete(['f0-0']);
    const during: { locks: string[]; searched: string[] } = { locks: [], searched: [] };
    let paused = 0;

    const times = await erasePhysically(store.db, {
      beforeSwap: async (table) => {
        if (table !== 'faces') return;
        paused++;
        // The rows are copied and indexed aside; the live table still takes searches and writes.
        during.locks = await locksThatStopWriters(store);
        const img = image('late', 'hlate');
        await store.images.insertWithFaces(img, [face('late-0', img.id, 0, { embedding: vector(40) })]);
        assert.deepEqual((await faces.delete(['f1-0'])).deleted, ['f1-0']);
        const found = await indexes.search(['g1'], vector(40), 1);
        during.searched = await store.faces.provenanceByVectorKeys(found.map((m) => m.key)).then((p) => p.map((x) => x.face.id));
      },
    });

    assert.equal(paused, 1);
    assert.deepEqual(during.locks, [], 'nothing held faces against writers while it was rebuilt');
    assert.deepEqual(during.searched, ['late-0'], 'searches went on, and saw the new face at once');
    assert.equal(times.rebuilt.faces?.caughtUp, 2, 'one insert and one delete carried over');

    // After the swap: the face ingested meanwhile is kept, the one deleted meanwhile is gone.
    const late = await indexes.search(['g1'], vector(40), 1);
    assert.deepEqual(await store.faces.provenanceByVectorKeys(late.map((m) => m.key)).then((p) => p.map((x) => x.face.id)), ['late-0']);
    assert.equal(await store.faces.findById('f1-0'), undefined);
    assert.equal(await store.faces.findById('f0-0'), undefined);
    const keys = (await indexes.search(['g1'], vector(2), 10)).map((m) => m.key);
    const ids = (await store.faces.provenanceByVectorKeys(keys)).map((p) => p.face.id).sort();
    assert.deepEqual(ids, ['f0-1', 'f1-1', 'f2-0', 'f2-1', 'late-0']);
    assert.equal(await store.faces.countActive('g1'), 5);
  });

  it('leaves the swapped-in table as the old one was: keys from the same sequence, ids unique, faces going with their image, grants', async () => {
    const { rows: [grant] } = await sql<{ reads: boolean }>`SELECT has_table_privilege(${READER}, 'faces', 'SELECT') AS reads`.execute(store.db);
    assert.equal(grant?.reads, true, 'another role\'s SELECT on faces follows it');
    const { rows: [max] } = await sql<{ key: string }>`SELECT max(vector_key) AS key FROM faces`.execute(store.db);
    const img = image('after', 'hafter');
    await store.images.insertWithFaces(img, [face('after-0', img.id, 0, { embedding: vector(50) })]);
    const added = await store.faces.findById('after-0');
    assert.ok(added && added.vectorKey > Number(max!.key), 'a new key, above every key handed out before');

    const again = image('again', 'hagain');
    await assert.rejects(store.images.insertWithFaces(again, [face('after-0', again.id, 0, { embedding: vector(51) })]));

    await sql`DELETE FROM images WHERE id = 'after'`.execute(store.db);
    assert.equal(await store.faces.findById('after-0'), undefined, 'the foreign key still cascades from images');
    const { rows: [hnsw] } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'faces' AND indexname = 'faces_embedding_hnsw'`.execute(store.db);
    assert.equal(hnsw?.n, 1);
    const { rows: leftovers } = await sql<{ name: string }>`SELECT relname AS name FROM pg_class WHERE relname LIKE '%aside%'`.execute(store.db);
    assert.deepEqual(leftovers, []);
  });

  it('refuses to rebuild a table with a view on it, which would stay on the old table, and leaves the table as it was', async () => {
    const { rows: [before] } = await sql<{ path: string }>`SELECT pg_relation_filepath('faces') AS path`.execute(store.db);
    await sql`CREATE VIEW active_faces AS SELECT id FROM faces WHERE status = 'active'`.execute(store.db);
    try {
      await assert.rejects(erasePhysically(store.db), (error: unknown) =>
        (error as { code?: string }).code === 'LIKENESS_CONFIG_INVALID' && /view active_faces/.test((error as Error).message));
      const { rows: [after] } = await sql<{ path: string }>`SELECT pg_relation_filepath('faces') AS path`.execute(store.db);
      assert.equal(after?.path, before?.path);
      const { rows: leftovers } = await sql<{ name: string }>`SELECT relname AS name FROM pg_class WHERE relname LIKE '%aside%'`.execute(store.db);
      assert.deepEqual(leftovers, []);
    } finally {
      await sql`DROP VIEW active_faces`.execute(store.db);
    }
  });
});
