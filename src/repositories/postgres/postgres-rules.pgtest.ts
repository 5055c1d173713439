// What PostgreSQL must enforce itself, beyond the Store contract: an audit log that refuses edits,
// vector keys that are never reused, and 64-bit keys that reach the code as numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { isLikenessError } from '../../errors.ts';
import { testPostgresUrl } from '../../../test/postgres/env.ts';
import { face, image, seededStore } from '../../../test/postgres/store-fixtures.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();

const entry = (seq: number) => ({
  seq, at: '2026-01-01T00:00:00.000Z', actor: 'cli:root', client: null, action: 'test', target: null, details: { seq },
  prevHash: '0'.repeat(64), hash: String(seq).padStart(64, '0'),
});

describe('PostgreSQL store rules', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  it('refuses to update, delete or truncate audit entries, even through raw SQL', async () => {
    const { store } = await seededStore(url!);
    try {
      await store.transaction((tx) => tx.accounts.audit.append(entry(1)));
      await assert.rejects(sql`UPDATE audit_log SET actor = 'someone else'`.execute(store.db), /audit_log is append-only/);
      await assert.rejects(sql`DELETE FROM audit_log`.execute(store.db), /audit_log is append-only/);
      await assert.rejects(sql`TRUNCATE audit_log`.execute(store.db), /audit_log is append-only/);
      assert.deepEqual(await store.accounts.audit.last(), entry(1));
    } finally {
      await store.close();
    }
  });

  it('never reuses a vector key: not after deleting the newest face, not after reopening', async () => {
    const { store, db } = await seededStore(url!);
    const [k1] = await store.images.insertWithFaces(image('i1'), [face('f1', 'i1', 1, 8)]);
    const [k2] = await store.images.insertWithFaces(image('i2'), [face('f2', 'i2', 2, 8)]);
    assert.deepEqual(await store.faces.deleteByIds(['f2']), [k2]);
    await store.close();
    const reopened = await PostgresStore.open(db);
    try {
      const [k3] = await reopened.images.insertWithFaces(image('i3'), [face('f3', 'i3', 3, 8)]);
      assert.ok(k1! < k2! && k2! < k3!, `${k1} < ${k2} < ${k3}`);
      assert.equal(await reopened.faces.maxVectorKey('g1'), k3);
    } finally {
      await reopened.close();
    }
  });

  it('gives bigint keys and counts as JavaScript numbers, past 32 bits too', async () => {
    const { store } = await seededStore(url!);
    try {
      await sql`SELECT setval('faces_vector_key_seq', ${2 ** 40})`.execute(store.db);
      const [key] = await store.images.insertWithFaces(image('i1'), [face('f1', 'i1', 1, 8)]);
      assert.equal(key, 2 ** 40 + 1);
      assert.equal((await store.faces.findById('f1'))?.vectorKey, 2 ** 40 + 1);
      assert.equal(await store.faces.maxVectorKey('g1'), 2 ** 40 + 1);
      assert.deepEqual((await store.faces.embeddingsByVectorKeys([2 ** 40 + 1])).map((e) => e.vectorKey), [2 ** 40 + 1]);
      assert.equal(await store.faces.countActive('g1'), 1);
      await store.transaction((tx) => tx.accounts.audit.append(entry(2 ** 33)));
      assert.equal((await store.accounts.audit.last())?.seq, 2 ** 33);
      const { rows } = await sql<{ n: unknown }>`SELECT count(*) AS n FROM faces`.execute(store.db);
      assert.equal(rows[0]!.n, 1, 'int8 parsed on this pool');
    } finally {
      await store.close();
    }
  });

  it('refuses a face whose embedding has another dimension than the store, storing nothing of its image', async () => {
    const { store } = await seededStore(url!);
    try {
      await assert.rejects(store.images.insertWithFaces(image('i1'), [face('f1', 'i1', 1, 8), face('f2', 'i1', 2, 512)]),
        (e) => isLikenessError(e, 'LIKENESS_INDEX_DIMENSION') && /f2/.test(e.message));
      assert.equal(await store.images.count(), 0);
    } finally {
      await store.close();
    }
  });

  it('keeps full float32 precision of embeddings and templates', async () => {
    const { store } = await seededStore(url!, 512);
    try {
      const stored = face('f1', 'i1', 1, 512);
      stored.embedding[0] = 1e-38;
      stored.embedding[1] = -65_000.123; // the HNSW index casts to halfvec, whose range ends at ±65,504
      stored.embedding[2] = 0.1;
      const [key] = await store.images.insertWithFaces(image('i1'), [stored]);
      const [read] = await store.faces.embeddingsByVectorKeys([key!]);
      assert.deepEqual(read!.embedding, stored.embedding);
      const streamed: Float32Array[] = [];
      for await (const batch of store.faces.streamEmbeddings('g1')) streamed.push(...batch.map((e) => e.embedding));
      assert.deepEqual(streamed, [stored.embedding]);
      await store.rights.suppression.add({ id: 'x', requestId: null, modelId: 'm1', template: stored.embedding, createdAt: 'now' });
      assert.deepEqual((await store.rights.suppression.list())[0]!.template, stored.embedding);
    } finally {
      await store.close();
    }
  });
});
