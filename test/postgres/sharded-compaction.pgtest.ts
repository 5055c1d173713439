// The physical clean-up started on a coordinator whose faces are spread over shards: each shard
// rebuilds its own faces aside and swaps them in (src/repositories/postgres/physical-erasure.ts),
// and what was written through the coordinator meanwhile is kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { erasePhysically } from '../../src/repositories/postgres/physical-erasure.ts';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { searchNearestFaces } from '../../src/repositories/postgres/pgvector-face-search.ts';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { testPostgresShardAdmins, testPostgresShards } from './env.ts';
import { freshDatabase } from './fresh-database.ts';
import { allowPhysicalErasure } from './physical-erasure-setup.ts';
import { openClient } from './sharding-helpers.ts';
import { face, image, source } from './store-fixtures.ts';

const nodes = testPostgresShards();
const admins = testPostgresShardAdmins();
const FACES = 30;

async function faceFiles(shardDbs: string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const db of shardDbs) {
    const client = await openClient(db);
    try {
      paths.push((await client.query<{ path: string }>("SELECT pg_relation_filepath('faces') AS path")).rows[0]!.path);
    } finally {
      await client.end();
    }
  }
  return paths;
}

describe('physical erasure on a coordinator over shards', { skip: nodes.length >= 3 && admins.length >= 3 ? false : 'needs LIKENESS_TEST_POSTGRES_SHARDS and its admin URLs' }, () => {
  it('rebuilds every shard\'s faces aside, keeping a face written through the coordinator meanwhile', async () => {
    const dbs = await Promise.all(nodes.slice(0, 3).map((node) => freshDatabase(node)));
    for (const [i, db] of dbs.entries()) {
      await (await PostgresStore.open(db, { create: true, dimension: 8 })).close();
      await allowPhysicalErasure(admins[i]!, db);
    }
    const [coordinatorDb, ...shardDbs] = dbs;
    await shardFaces(coordinatorDb!, shardDbs);
    const store = await PostgresStore.open(coordinatorDb!);
    try {
      await store.galleries.create({ id: 'g1', name: 'default', createdAt: 'now' });
      await store.sources.create(source);
      const keys: number[] = [];
      for (let i = 0; i < FACES; i++) keys.push(...await store.images.insertWithFaces(image(`i${i}`), [face(`f${i}`, `i${i}`, i, 8)]));
      const erased = ['f3', 'f4', 'f17'];
      await store.faces.deleteByIds(erased);
      const before = await faceFiles(shardDbs);

      const rebuiltOn: string[] = [];
      const times = await erasePhysically(store.db, {
        beforeSwap: async (table) => {
          if (table !== 'faces') return;
          rebuiltOn.push(table);
          if (rebuiltOn.length === 1) await store.images.insertWithFaces(image('late'), [face('late', 'late', 99, 8)]);
        },
      });

      assert.equal(times.shards?.length, 2, 'one pass per shard');
      assert.ok(times.shards.every((s) => s.rebuilt.faces), 'each shard rebuilt its faces aside');
      assert.equal(times.rebuilt.faces, undefined, 'the coordinator holds no faces of its own');
      const after = await faceFiles(shardDbs);
      assert.ok(after.every((path, i) => path !== before[i]), `every shard's faces is a new file: ${before.join(', ')} -> ${after.join(', ')}`);

      assert.equal(await store.faces.countActive('g1'), FACES - erased.length + 1);
      for (const id of erased) assert.equal(await store.faces.findById(id), undefined);
      const late = await store.faces.findById('late');
      assert.ok(late, 'the face written through the coordinator during the rebuild is kept');
      await sql`ANALYZE faces`.execute(store.db);
      const found = await searchNearestFaces(store.db, 8, ['g1'], face('late', 'late', 99, 8).embedding, 1, 100);
      assert.deepEqual(found.map((m) => m.key), [late.vectorKey], 'and searched through the coordinator');
    } finally {
      await store.close();
    }
  });
});
