import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLikenessError } from '../../../errors.ts';
import { testPostgresShards } from '../../../../test/postgres/env.ts';
import { faceRow, insertFaces } from '../../../../test/postgres/faces-schema.ts';
import { freshNodes, openClient } from '../../../../test/postgres/sharding-helpers.ts';
import { shardFaces } from './shard-faces.ts';

const nodes = testPostgresShards();
const vector = `[${Array.from({ length: 512 }, (_, i) => (i % 7) / 7 + 0.01).join(',')}]`;

describe('shardFaces', { skip: nodes.length >= 3 ? false : 'needs LIKENESS_TEST_POSTGRES_SHARDS' }, () => {
  it('can run again: the faces stay, the shards get the new search settings', async () => {
    const [coordinatorDb, ...shards] = await freshNodes(nodes.slice(0, 3));
    await shardFaces(coordinatorDb!, shards, { efSearch: 64 });
    const client = await openClient(coordinatorDb!);
    try {
      await insertFaces(client, [faceRow(1001, vector), faceRow(1002, vector)]);
      const again = await shardFaces(coordinatorDb!, shards, { efSearch: 128, fetchSize: 20 });
      assert.deepEqual(again.servers, ['faces_shard_0', 'faces_shard_1']);
      assert.equal((await client.query('SELECT count(*)::int AS n FROM faces')).rows[0].n, 2);
      const { rows } = await client.query<{ options: string[] }>(
        "SELECT srvoptions AS options FROM pg_foreign_server WHERE srvname = 'faces_shard_0'");
      assert.ok(rows[0]!.options.includes('options=-c hnsw.ef_search=128 -c cursor_tuple_fraction=0.001 -c jit=off'));
      assert.ok(rows[0]!.options.includes('fetch_size=20'));
      // A face inserted without a vector key gets the coordinator's next one.
      const row = faceRow(0, vector).slice(1);
      await client.query(`INSERT INTO faces (id, image_id, gallery_id, box, landmarks, quality, model_id, expires_at, status, created_at, embedding)
        VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
      assert.equal((await client.query("SELECT count(*)::int AS n FROM faces WHERE vector_key IS NOT NULL")).rows[0].n, 3);
    } finally {
      await client.end();
    }
  });

  it('starts new vector keys above those the shards already hold', async () => {
    const [coordinatorDb, ...shards] = await freshNodes(nodes.slice(0, 3));
    const shard = await openClient(shards[1]!);
    await insertFaces(shard, [faceRow(500, vector)]);
    await shard.end();
    await shardFaces(coordinatorDb!, shards);
    const client = await openClient(coordinatorDb!);
    try {
      assert.equal((await client.query("SELECT nextval('faces_vector_key_seq')::int AS k")).rows[0].k, 501);
    } finally {
      await client.end();
    }
  });

  it("carries the shards' column defaults to the coordinator", async () => {
    const [coordinatorDb, ...shards] = await freshNodes(nodes.slice(0, 3));
    for (const shard of shards) {
      const client = await openClient(shard);
      await client.query("ALTER TABLE faces ALTER COLUMN status SET DEFAULT 'active'");
      await client.end();
    }
    await shardFaces(coordinatorDb!, shards);
    const client = await openClient(coordinatorDb!);
    try {
      const row = faceRow(0, vector).slice(1);
      row.splice(8, 1); // no status
      await client.query(`INSERT INTO faces (id, image_id, gallery_id, box, landmarks, quality, model_id, expires_at, created_at, embedding)
        VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
      assert.deepEqual((await client.query('SELECT status FROM faces')).rows, [{ status: 'active' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses to replace a coordinator faces table that holds faces', async () => {
    const [coordinatorDb, ...shards] = await freshNodes(nodes.slice(0, 2));
    const client = await openClient(coordinatorDb!);
    try {
      await insertFaces(client, [faceRow(1, vector)]);
    } finally {
      await client.end();
    }
    await assert.rejects(shardFaces(coordinatorDb!, shards), (e) => isLikenessError(e, 'LIKENESS_CONFLICT'));
  });
});
