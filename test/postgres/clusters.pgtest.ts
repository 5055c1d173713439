// The clusters the PostgreSQL tests run on: what the backend relies on is there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { testPostgresShards, testPostgresUrl } from './env.ts';
import { freshDatabase } from './fresh-database.ts';

const url = testPostgresUrl();

async function query<T extends pg.QueryResultRow>(connectionString: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL test clusters', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  it('have pgvector 0.8 or later and postgres_fdw in every new database', async () => {
    const db = await freshDatabase(url!);
    const rows = await query<{ extname: string; extversion: string }>(db, 'SELECT extname, extversion FROM pg_extension');
    const versions = Object.fromEntries(rows.map((r) => [r.extname, r.extversion]));
    assert.ok(versions.postgres_fdw, 'postgres_fdw is installed');
    const [major, minor] = (versions.vector ?? '0.0').split('.').map(Number);
    assert.ok(major! > 0 || minor! >= 8, `pgvector ${versions.vector} is 0.8 or later`);
  });

  it('serve cosine top-k from an HNSW index on half-precision vectors', async () => {
    const db = await freshDatabase(url!);
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      await client.query('CREATE TABLE v (id int PRIMARY KEY, embedding vector(3) NOT NULL)');
      await client.query("INSERT INTO v VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')");
      await client.query('CREATE INDEX ON v USING hnsw ((embedding::halfvec(3)) halfvec_cosine_ops)');
      await client.query('SET enable_seqscan = off');
      const probe = "'[1,0,0]'::halfvec(3)";
      const order = `ORDER BY embedding::halfvec(3) <=> ${probe} LIMIT 2`;
      const plan = (await client.query(`EXPLAIN SELECT id FROM v ${order}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /Index Scan using v_embedding_idx/);
      const ids = (await client.query(`SELECT id FROM v ${order}`)).rows.map((r) => r.id);
      assert.deepEqual(ids, [1, 3]);
    } finally {
      await client.end();
    }
  });

  it('give the coordinator and each shard a cluster of its own', { skip: testPostgresShards().length ? false : 'no LIKENESS_TEST_POSTGRES_SHARDS' }, async () => {
    const shards = testPostgresShards();
    assert.ok(shards.length >= 3, 'a coordinator and at least two shards');
    const ports = new Set(shards.map((s) => new URL(s).port));
    assert.equal(ports.size, shards.length);
    for (const shard of shards) {
      const [row] = await query<{ ok: number }>(shard, 'SELECT 1 AS ok');
      assert.equal(row!.ok, 1);
    }
  });
});
