import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { isLikenessError } from '../../errors.ts';
import { testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { storeContract } from '../store.contract.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();

if (url) storeContract('PostgreSQL', async () => PostgresStore.open(await freshDatabase(url), { create: true, dimension: 8 }));

describe('PostgreSQL store', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  it('refuses a database without the schema unless asked to create it, and says how', async () => {
    const db = await freshDatabase(url!);
    await assert.rejects(PostgresStore.open(db), (e) => isLikenessError(e, 'LIKENESS_NOT_INITIALISED') && /create/.test(e.message));
    const created = await PostgresStore.open(db, { create: true, dimension: 8 });
    await created.close();
    const reopened = await PostgresStore.open(db);
    assert.equal(reopened.dimension, 8);
    await reopened.close();
  });

  it('refuses to open a store with another embedding dimension than its own', async () => {
    const db = await freshDatabase(url!);
    await (await PostgresStore.open(db, { create: true })).close();
    await assert.rejects(PostgresStore.open(db, { dimension: 8 }), (e) => isLikenessError(e, 'LIKENESS_INDEX_DIMENSION'));
    const store = await PostgresStore.open(db, { create: true });
    assert.equal(store.dimension, 512);
    await store.close();
  });

  it('names a server it cannot reach with a stable code, without its password', async () => {
    const down = new URL(url!);
    down.port = '1';
    await assert.rejects(PostgresStore.open(down.toString()), (e) =>
      isLikenessError(e, 'LIKENESS_STORE_UNAVAILABLE') && e.status === 503 && !e.message.includes(down.password));
    const wrongPassword = new URL(url!);
    wrongPassword.password = 'wrong';
    await assert.rejects(PostgresStore.open(wrongPassword.toString()), (e) => isLikenessError(e, 'LIKENESS_STORE_UNAVAILABLE'));
    const missing = new URL(url!);
    missing.pathname = '/likeness_no_such_database';
    await assert.rejects(PostgresStore.open(missing.toString()), (e) => isLikenessError(e, 'LIKENESS_NOT_INITIALISED'));
  });

  it('creates the agreed schema: embeddings in the faces row, an HNSW index on their half-precision cast', async () => {
    const db = await freshDatabase(url!);
    const store = await PostgresStore.open(db, { create: true, dimension: 8 });
    await store.close();
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const { rows: columns } = await client.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'faces'::regclass AND attname = 'embedding'");
      assert.deepEqual(columns, [{ type: 'vector(8)' }]);
      assert.equal((await client.query("SELECT to_regclass('face_embeddings') AS t")).rows[0].t, null);
      const { rows: [index] } = await client.query<{ def: string }>("SELECT pg_get_indexdef('faces_embedding_hnsw'::regclass) AS def");
      assert.match(index!.def, /USING hnsw \(\(\(embedding\)::halfvec\(8\)\) halfvec_cosine_ops\) WITH \(m='16', ef_construction='64'\)/);
      const { rows: [options] } = await client.query<{ options: string[] }>("SELECT reloptions AS options FROM pg_class WHERE relname = 'faces'");
      assert.deepEqual(options!.options, ['toast_tuple_target=8160']);
      const { rows: [owned] } = await client.query<{ owner: string }>(
        "SELECT pg_get_serial_sequence('faces', 'vector_key') AS owner");
      assert.equal(owned!.owner, 'public.faces_vector_key_seq');
    } finally {
      await client.end();
    }
  });
});
