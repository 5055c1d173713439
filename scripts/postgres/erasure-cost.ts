// What the physical erasure of PostgreSQL costs at N faces (docs/scaling.md, "What it costs").
//
//   flock /tmp/likeness-bench.lock node --import tsx scripts/postgres/erasure-cost.ts --faces 100000
//
// Runs against the clusters of the LIKENESS_TEST_POSTGRES_* variables (scripts/postgres/dev-cluster
// prints them), in a fresh database: N random 512-d faces loaded with the HNSW index built after
// the load, 10% of them deleted (the policy's default fraction), then the compaction, with one
// search issued half a second into it to see how long it waits; then, for comparison, a plain
// VACUUM after deleting another 10%.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { gallery, image, source } from '../../src/repositories/contract-fixtures.ts';
import { PgvectorGalleryIndexes } from '../../src/repositories/postgres/pgvector-gallery-indexes.ts';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { POSTGRES_ADMIN_URL_ENV, POSTGRES_URL_ENV } from '../../test/postgres/env.ts';
import { freshDatabase } from '../../test/postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../../test/postgres/physical-erasure-setup.ts';

const { values } = parseArgs({ options: { faces: { type: 'string', default: '20000' } } });
const faces = Number(values.faces);
const url = process.env[POSTGRES_URL_ENV];
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
if (!url || !adminUrl || !Number.isInteger(faces) || faces < 10) {
  console.error(`erasure-cost: needs ${POSTGRES_URL_ENV} and ${POSTGRES_ADMIN_URL_ENV} (scripts/postgres/dev-cluster) and --faces N >= 10`);
  process.exit(2);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const database = await freshDatabase(url, 'likeness_erasure_cost');
await allowPhysicalErasure(adminUrl, database);
const store = await PostgresStore.open(database, { create: true, dimension: 512 });
try {
  await store.galleries.create(gallery);
  await store.sources.create(source);
  await store.images.insertWithFaces(image('i1', 'h1'), []);
  const db = store.db;
  const { rows: [index] } = await sql<{ def: string }>`SELECT pg_get_indexdef('faces_embedding_hnsw'::regclass) AS def`.execute(db);
  await sql`DROP INDEX faces_embedding_hnsw`.execute(db);
  let started = performance.now();
  // The correlated subquery (WHERE i > 0) draws a new vector per row.
  await sql`INSERT INTO faces (id, image_id, gallery_id, box, landmarks, quality, model_id, expires_at, status, created_at, embedding)
    SELECT gen_random_uuid()::text, 'i1', 'g1', '{"x":1,"y":2,"width":100,"height":100}', '[[1,2],[3,4],[5,6],[7,8],[9,10]]',
      '{"size":100,"detectionScore":0.99,"sharpness":50,"yaw":0,"roll":0}', 'm1', '2099-01-01T00:00:00.000Z', 'active', '2026-01-01T00:00:00.000Z',
      (SELECT array_agg(random() - 0.5) FROM generate_series(1, 512) WHERE i > 0)::vector
    FROM generate_series(1, ${faces}) i`.execute(db);
  console.log(`load of ${faces} faces: ${seconds(performance.now() - started)}`);
  started = performance.now();
  await sql.raw(index!.def).execute(db);
  console.log(`HNSW build: ${seconds(performance.now() - started)}`);
  await sql`VACUUM ANALYZE faces`.execute(db);

  const deleted = await sql<{ n: string }>`WITH gone AS (DELETE FROM faces WHERE vector_key % 10 = 0 RETURNING 1) SELECT count(*) AS n FROM gone`.execute(db);
  const indexes = await PgvectorGalleryIndexes.open(store, { now: () => new Date() });
  await indexes.remove('g1', Array.from({ length: Number(deleted.rows[0]!.n) }, (_, i) => i));
  const probe = `[${Array.from({ length: 512 }, () => Math.random() - 0.5).join(',')}]`;
  started = performance.now();
  const compaction = indexes.compact('g1').then(() => performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const searchStarted = performance.now();
  await sql`SELECT vector_key FROM faces ORDER BY embedding::halfvec(512) <=> ${probe}::halfvec(512) LIMIT 10`.execute(db);
  const waited = performance.now() - searchStarted;
  const took = await compaction;
  console.log(`compaction: ${seconds(took)} (rewrite ${seconds(indexes.lastErasure!.rewriteMs)}, WAL ${seconds(indexes.lastErasure!.walMs)}); `
    + `a search issued 0.5 s into it waited ${seconds(waited)}`);

  await sql`DELETE FROM faces WHERE vector_key % 10 = 1`.execute(db);
  started = performance.now();
  await sql`VACUUM faces`.execute(db);
  console.log(`for comparison, a plain VACUUM after deleting another 10%: ${seconds(performance.now() - started)}`);
} finally {
  await store.close();
}
