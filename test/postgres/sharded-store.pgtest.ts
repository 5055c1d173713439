// shardFaces() on databases migrated by PostgresStore, and the store working through the
// coordinator afterwards: faces written, found, streamed and deleted as on one node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { faceShards, nearestFacesQuery, searchNearestFaces } from '../../src/repositories/postgres/pgvector-face-search.ts';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { testPostgresShards } from './env.ts';
import { freshDatabase } from './fresh-database.ts';
import { face, image, source } from './store-fixtures.ts';

const nodes = testPostgresShards();
const FACES = 40;

describe('PostgresStore over faces sharded with shardFaces', { skip: nodes.length >= 3 ? false : 'needs LIKENESS_TEST_POSTGRES_SHARDS' }, () => {
  it('migrates every node, shards them, and stores, reads and deletes faces through the coordinator', async () => {
    const [coordinatorDb, ...shardDbs] = await Promise.all(nodes.slice(0, 3).map((node) => freshDatabase(node)));
    for (const db of [coordinatorDb!, ...shardDbs]) await (await PostgresStore.open(db, { create: true, dimension: 8 })).close();
    const { servers } = await shardFaces(coordinatorDb!, shardDbs);

    const store = await PostgresStore.open(coordinatorDb!);
    try {
      assert.equal(store.dimension, 8);
      await store.galleries.create({ id: 'g1', name: 'default', createdAt: 'now' });
      await store.sources.create(source);
      const keys: number[] = [];
      for (let i = 0; i < FACES; i++) keys.push(...await store.images.insertWithFaces(image(`i${i}`), [face(`f${i}`, `i${i}`, i, 8)]));
      assert.deepEqual(keys, [...keys].sort((a, b) => a - b), 'keys increase');
      const { rows } = await sql<{ shard: string }>`SELECT DISTINCT tableoid::regclass::text AS shard FROM faces ORDER BY 1`.execute(store.db);
      assert.deepEqual(rows.map((r) => r.shard), servers, 'the faces are on every shard');

      assert.equal(await store.faces.countActive('g1'), FACES);
      const provenance = await store.faces.provenanceByVectorKeys([keys[7]!, keys[3]!]);
      assert.deepEqual(provenance.map((p) => p.face.id), ['f7', 'f3']);
      assert.equal(provenance[0]!.source.name, 'press');
      const [embedding] = await store.faces.embeddingsByVectorKeys([keys[5]!]);
      assert.deepEqual(embedding!.embedding, face('f5', 'i5', 5, 8).embedding);
      const streamed: number[] = [];
      for await (const batch of store.faces.streamEmbeddings('g1', { batchSize: 7 })) streamed.push(...batch.map((e) => e.vectorKey));
      assert.deepEqual(streamed, keys);

      // The product's search asks every shard at once and merges their top-k lists into the exact top-k.
      const probe = face('probe', 'none', 11.5, 8).embedding;
      const cosine = (a: Float32Array, b: Float32Array) => {
        let dot = 0, na = 0, nb = 0;
        for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
        return dot / Math.sqrt(na * nb);
      };
      const exact = keys.map((key, i) => ({ key, score: cosine(probe, face(`f${i}`, `i${i}`, i, 8).embedding) })).sort((a, b) => b.score - a.score);
      // As autovacuum would: the coordinator's estimates of its shards come from ANALYZE.
      await sql`ANALYZE faces`.execute(store.db);
      const found = await searchNearestFaces(store.db, 8, ['g1'], probe, 5, 100);
      assert.deepEqual(found.map((m) => m.key), exact.slice(0, 5).map((m) => m.key));
      assert.deepEqual(await faceShards(store.db), servers);
      const plan = await store.db.transaction().execute(async (trx) => {
        const query = nearestFacesQuery(8, ['g1'], probe, 5, servers).compile(trx);
        const { rows } = await trx.executeQuery<Record<string, string>>({ ...query, sql: `EXPLAIN (VERBOSE) ${query.sql}` });
        return rows.map((r) => r['QUERY PLAN']!).join('\n');
      });
      assert.equal(plan.match(/Async Foreign Scan/g)?.length, servers.length, plan);
      const remote = plan.split('\n').filter((line) => line.includes('Remote SQL'));
      assert.equal(remote.length, servers.length);
      for (const line of remote) assert.match(line, /ORDER BY .*LIMIT 5/, 'each shard orders and limits its own candidates');

      assert.deepEqual(await store.faces.deleteByIds(['f1', 'f2', 'unknown']), [keys[1], keys[2]]);
      assert.equal(await store.faces.findById('f1'), undefined);
      assert.deepEqual(await store.rights.deleteImagesWithoutFaces(['i1', 'i2', 'i3']), ['i1', 'i2']);
      const [next] = await store.images.insertWithFaces(image('new'), [face('f-new', 'new', 99, 8)]);
      assert.ok(next! > keys[keys.length - 1]!, 'no key is reused');
      // VACUUM skips the foreign partitions (the shards vacuum their own); it must not fail on them.
      await store.checkpoint();
    } finally {
      await store.close();
    }
  });
});
