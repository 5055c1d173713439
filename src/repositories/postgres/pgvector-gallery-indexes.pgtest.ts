import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { FAKE_DIMENSION, FakeFaceEngine, fakeEmbedding, fakeImage } from '../../../test/helpers/fake-face-engine.ts';
import { testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { FaceService } from '../../services/face-service.ts';
import type { Clock } from '../../ports/clock.ts';
import { SearchService } from '../../services/search-service.ts';
import { face, gallery, image, source } from '../contract-fixtures.ts';
import { applySearchSettings, nearestFacesQuery, searchNearestFaces } from './pgvector-face-search.ts';
import { PgvectorGalleryIndexes } from './pgvector-gallery-indexes.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();
const FACES_PER_IMAGE = 100;
const BIG = 3000;
// A gallery of 9% of the table: not selective enough for the planner to leave the HNSW index.
const SMALL = 300;

describe('pgvector gallery indexes', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  let store: PostgresStore;
  let now = new Date('2026-03-01T00:00:00.000Z');
  const clock: Clock = { now: () => now };
  let indexes: PgvectorGalleryIndexes;
  const keyOfSeed = new Map<number, number>();

  before(async () => {
    store = await PostgresStore.open(await freshDatabase(url!), { create: true, dimension: FAKE_DIMENSION });
    await store.galleries.create(gallery);
    await store.galleries.create({ id: 'g2', name: 'small', createdAt: gallery.createdAt });
    await store.sources.create(source);
    await store.sources.create({ ...source, id: 's2', name: 'small-source', galleryId: 'g2' });
    // Seeds 0..BIG-1 in gallery g1, BIG.. in the small gallery g2.
    for (let start = 0; start < BIG + SMALL; start += FACES_PER_IMAGE) {
      const seeds = Array.from({ length: Math.min(FACES_PER_IMAGE, BIG + SMALL - start) }, (_, i) => start + i);
      const galleryOf = (seed: number) => (seed < BIG ? 'g1' : 'g2');
      for (const gid of ['g1', 'g2']) {
        const mine = seeds.filter((s) => galleryOf(s) === gid);
        if (mine.length === 0) continue;
        const img = { ...image(`i${gid}-${start}`, `h${gid}-${start}`), sourceId: gid === 'g1' ? 's1' : 's2' };
        const keys = await store.images.insertWithFaces(img, mine.map((s) =>
          face(`f${s}`, img.id, s, { galleryId: gid, embedding: fakeEmbedding(s) })));
        mine.forEach((s, i) => keyOfSeed.set(s, keys[i]!));
      }
    }
    await sql`ANALYZE faces`.execute(store.db);
    indexes = await PgvectorGalleryIndexes.open(store, clock);
  });

  after(async () => {
    await store?.close();
  });

  it('walks the HNSW index for the search statement, under the per-query settings', async () => {
    const plan = await store.db.transaction().execute(async (trx) => {
      await applySearchSettings(trx, 57);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${nearestFacesQuery(FAKE_DIMENSION, ['g1'], fakeEmbedding(7), 10)}`.execute(trx);
      const settings = await sql<{ ef: string; scan: string }>`SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan`.execute(trx);
      return { text: rows.map((r) => r['QUERY PLAN']).join('\n'), settings: settings.rows[0] };
    });
    assert.match(plan.text, /Index Scan using faces_embedding_hnsw on faces/);
    assert.deepEqual(plan.settings, { ef: '57', scan: 'relaxed_order' });
    // Local to the transaction: the pool's connections go back with the server's defaults.
    const { rows: [outside] } = await sql<{ ef: string }>`SELECT current_setting('hnsw.ef_search') AS ef`.execute(store.db);
    assert.notEqual(outside?.ef, '57');
  });

  it('finds a face by its own embedding, best first, scores from half precision within 1e-3 of the exact ones', async () => {
    const found = await indexes.search(['g1'], fakeEmbedding(42), 10);
    assert.equal(found.length, 10);
    assert.equal(found[0]!.key, keyOfSeed.get(42));
    assert.equal(found[0]!.galleryId, 'g1');
    assert.ok(Math.abs(found[0]!.score - 1) < 1e-3, `score ${found[0]!.score}`);
    const scores = found.map((m) => m.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  });

  it('gives a small gallery inside a large table its k faces: the iterative scan outlasts the filter', async () => {
    const probe = fakeEmbedding(5);
    // Without the iterative scan the index yields its ef_search nearest of all 3,300 faces, and the
    // gallery filter throws most (here all) of them away.
    const plain = await store.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('hnsw.ef_search', '40', true), set_config('hnsw.iterative_scan', 'off', true)`.execute(trx);
      const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${nearestFacesQuery(FAKE_DIMENSION, ['g2'], probe, 10)}`.execute(trx);
      return { plan: rows.map((r) => r['QUERY PLAN']).join('\n'), found: (await nearestFacesQuery(FAKE_DIMENSION, ['g2'], probe, 10).execute(trx)).rows };
    });
    assert.match(plain.plan, /Index Scan using faces_embedding_hnsw/);
    assert.ok(plain.found.length < 10, `${plain.found.length} rows without the iterative scan`);
    const found = await searchNearestFaces(store.db, FAKE_DIMENSION, ['g2'], probe, 10, 40);
    assert.equal(found.length, 10);
    assert.ok(found.every((m) => m.galleryId === 'g2'));
    assert.equal((await indexes.search(['g2'], probe, 10)).length, 10);
    const both = await indexes.search(['g1', 'g2'], fakeEmbedding(BIG + 3), 5);
    assert.equal(both[0]!.key, keyOfSeed.get(BIG + 3));
  });

  it('never returns a face to a search issued after its delete returned, through the services', async () => {
    const faces = new FaceService(store, indexes);
    const search = new SearchService(new FakeFaceEngine(), store, indexes, { threshold: 0.9, top: 5 });
    const before = await search.search(fakeImage(77));
    assert.equal(before.candidates[0]?.faceId, 'f77');
    assert.ok(Math.abs(before.candidates[0]!.score - 1) < 1e-6, 'scored against the stored float32 embedding');
    assert.deepEqual(await faces.delete(['f77']), { deleted: ['f77'] });
    const afterDelete = await search.search(fakeImage(77));
    assert.deepEqual(afterDelete.candidates, []);
    const raw = await indexes.search(['g1'], fakeEmbedding(77), 50);
    assert.ok(!raw.some((m) => m.key === keyOfSeed.get(77)), 'not even among the raw candidates');
  });

  it('records removals in the database and says when the policy makes them due, by fraction or by age', async () => {
    const due = (policy = { maxPendingFraction: 0.1, maxPendingAgeMs: 24 * 3_600_000 }) => indexes.dueForCompaction(['g1', 'g2'], policy);
    const faces = new FaceService(store, indexes);
    await faces.delete(Array.from({ length: 31 }, (_, i) => `f${BIG + i}`));
    // g2: 31 of 300 removed (10.3%); g1: 1 of 3,000 removed by the previous case.
    assert.deepEqual(await due(), ['g2']);
    assert.deepEqual(await due({ maxPendingFraction: 0.5, maxPendingAgeMs: 24 * 3_600_000 }), []);
    now = new Date(now.getTime() + 24 * 3_600_000);
    assert.deepEqual(await due(), ['g1', 'g2']);
    // Another process sees the same figures.
    const other = await PgvectorGalleryIndexes.open(store, clock);
    assert.deepEqual(await other.dueForCompaction(['g1', 'g2']), ['g1', 'g2']);
  });

  it('rebuilds the HNSW index in place (REINDEX CONCURRENTLY), once for callers that arrive together', async () => {
    const before = await sql<{ node: string }>`SELECT pg_relation_filenode('faces_embedding_hnsw')::text AS node`.execute(store.db);
    const progress: Array<[number, number]> = [];
    const sizes = await Promise.all([indexes.rebuild('g1', (done, total) => progress.push([done, total])), indexes.rebuild('g2')]);
    assert.deepEqual(sizes, [BIG - 1, SMALL - 31]);
    assert.deepEqual(progress, [[BIG - 1, BIG - 1]]);
    const after = await sql<{ node: string }>`SELECT pg_relation_filenode('faces_embedding_hnsw')::text AS node`.execute(store.db);
    assert.notEqual(after.rows[0]!.node, before.rows[0]!.node, 'a new index file');
    assert.equal((await indexes.search(['g1'], fakeEmbedding(42), 1))[0]?.key, keyOfSeed.get(42));
  });

  it('says a compaction is never cheap: it rewrites the whole table', async () => {
    assert.equal(await indexes.compactsCheaply(), false);
    assert.equal(await indexes.size('g2'), SMALL - 31);
  });
});
