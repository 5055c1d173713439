import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { POSTGRES_ADMIN_URL_ENV, POSTGRES_DATA_DIR_ENV, testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../../../test/postgres/physical-erasure-setup.ts';
import { FaceService } from '../../services/face-service.ts';
import { face, gallery, image, source } from '../contract-fixtures.ts';
import { PgvectorGalleryIndexes } from './pgvector-gallery-indexes.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
const dataDir = process.env[POSTGRES_DATA_DIR_ENV];
const DIMENSION = 512;
const FACES_PER_IMAGE = 100;
// Four erased faces in a row: at about three rows per 8 kB page, one of them is the lowest row of
// its page, where pruning leaves a deleted row's bytes whole.
const ERASED = 4;

/**
 * A unit vector whose float32 and float16 forms are exact and easy to find: 256 components of
 * +-1/16 (norm exactly 1, so the HNSW index's normalisation changes nothing), the rest 0.
 */
function distinctive(seed: number): Float32Array {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const order = Array.from({ length: DIMENSION }, (_, i) => ({ i, r: next() })).sort((a, b) => a.r - b.r);
  const v = new Float32Array(DIMENSION);
  for (const { i } of order.slice(0, 256)) v[i] = next() < 0.5 ? 1 / 16 : -1 / 16;
  return v;
}

function filler(seed: number): Float32Array {
  let state = seed + 7919;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const v = Float32Array.from({ length: DIMENSION }, next);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** 32 components from the middle of the vector, as float32 and as float16 (only 0 and +-1/16 occur). */
function needles(v: Float32Array): { f32: Buffer; f16: Buffer } {
  const part = v.slice(100, 132);
  const f16 = Buffer.alloc(part.length * 2);
  part.forEach((x, i) => f16.writeUInt16LE(x === 0 ? 0 : (x < 0 ? 0x8000 : 0) | (11 << 10), i * 2)); // 1/16 = 2^-4: exponent 15 - 4
  return { f32: Buffer.from(part.buffer), f16 };
}

/**
 * A file the server removed between the listing and the read (a cache file rewritten, a database
 * of a test running beside this one dropped) holds nothing any more.
 */
function readIfStillThere(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Every file of the data directory holding one of the needles, by path relative to it. */
function filesHolding(found: Buffer[]): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const bytes = readIfStillThere(path);
        if (bytes && found.some((n) => bytes.indexOf(n) >= 0)) hits.push(relative(dataDir!, path));
      }
    }
  };
  walk(dataDir!);
  return hits.sort();
}

const ready = url && adminUrl && dataDir;

// With many faces the rewrite alone writes enough WAL to fill the segment that holds the erased
// rows; with a few it does not, and only closing the segment (pg_switch_wal) lets it go.
for (const FILLERS of [1500, 12]) describe(`physical erasure on PostgreSQL, ${FILLERS} faces kept`, { skip: ready ? false : 'needs the LIKENESS_TEST_POSTGRES_* variables of a local cluster' }, () => {
  let store: PostgresStore;
  let indexes: PgvectorGalleryIndexes;
  const erased = Array.from({ length: ERASED }, (_, i) => distinctive(1000 + i));
  const f32 = erased.map((v) => needles(v).f32);
  const f16 = erased.map((v) => needles(v).f16);
  let files: { heap: string; hnsw: string };

  before(async () => {
    const database = await freshDatabase(url!, 'likeness_erasure');
    await allowPhysicalErasure(adminUrl!, database);
    store = await PostgresStore.open(database, { create: true, dimension: DIMENSION });
    await store.galleries.create(gallery);
    await store.sources.create(source);
    const all = [...Array.from({ length: FILLERS / 2 }, (_, i) => filler(i)), ...erased, ...Array.from({ length: FILLERS / 2 }, (_, i) => filler(FILLERS + i))];
    for (let start = 0; start < all.length; start += FACES_PER_IMAGE) {
      const img = image(`i${start}`, `h${start}`);
      await store.images.insertWithFaces(img, all.slice(start, start + FACES_PER_IMAGE).map((embedding, i) =>
        face(`f${start + i}`, img.id, 0, { embedding })));
    }
    indexes = await PgvectorGalleryIndexes.open(store, { now: () => new Date() });
    const { rows: [paths] } = await sql<{ heap: string; hnsw: string }>`
      SELECT pg_relation_filepath('faces') AS heap, pg_relation_filepath('faces_embedding_hnsw') AS hnsw`.execute(store.db);
    files = paths!;
  });

  after(async () => {
    await store?.close();
  });

  it('finds the embeddings in the table (float32), the HNSW index (float16) and the WAL once written', async () => {
    await sql`CHECKPOINT`.execute(store.db);
    const heap = filesHolding(f32);
    const index = filesHolding(f16);
    assert.ok(heap.includes(files.heap), `float32 in the heap: ${heap.join(', ')}`);
    assert.ok(index.includes(files.hnsw), `float16 in the HNSW index: ${index.join(', ')}`);
    assert.ok(heap.some((f) => f.startsWith('pg_wal/')) && index.some((f) => f.startsWith('pg_wal/')), 'both in the WAL');
  });

  it('leaves bytes on disk after the delete and a plain VACUUM + CHECKPOINT, and none after the compaction', async (t) => {
    const faces = new FaceService(store, indexes);
    const ids = Array.from({ length: ERASED }, (_, i) => `f${FILLERS / 2 + i}`);
    assert.deepEqual((await faces.delete(ids)).deleted, ids);
    assert.deepEqual(await indexes.search(['g1'], erased[0]!, 5).then((m) => m.filter((x) => x.score > 0.99)), [], 'out of search at once');

    // What the store's own checkpoint() does: VACUUM, then CHECKPOINT.
    await store.checkpoint();
    const afterVacuum = filesHolding([...f32, ...f16]);
    t.diagnostic(`after VACUUM + CHECKPOINT: ${afterVacuum.join(', ')}`);
    assert.ok(afterVacuum.includes(files.heap), 'pruning frees the space of a deleted row without overwriting it');
    assert.ok(afterVacuum.some((f) => f.startsWith('pg_wal/')), 'the WAL keeps the rows as they were inserted');

    assert.deepEqual(await indexes.dueForCompaction(['g1'], { maxPendingFraction: 1, maxPendingAgeMs: 0 }), ['g1']);
    const started = performance.now();
    assert.equal(await indexes.compact('g1'), FILLERS);
    t.diagnostic(`compaction of ${FILLERS} faces: ${Math.round(performance.now() - started)} ms `
      + `(rewrite ${Math.round(indexes.lastErasure!.rewriteMs)} ms, WAL ${Math.round(indexes.lastErasure!.walMs)} ms)`);
    assert.deepEqual(filesHolding([...f32, ...f16]), [], 'neither the float32 nor the float16 bytes are in any file of the data directory');
    assert.deepEqual(await indexes.dueForCompaction(['g1'], { maxPendingFraction: 1, maxPendingAgeMs: 0 }), [], 'nothing pending any more');
    assert.equal((await indexes.search(['g1'], filler(3), 1))[0]?.score.toFixed(3), '1.000', 'the rebuilt index still finds the others');
  });

  it('runs one pass at a time across processes, and loses no removal recorded after a pass', async () => {
    const other = await PgvectorGalleryIndexes.open(store, { now: () => new Date() });
    const now = { maxPendingFraction: 1, maxPendingAgeMs: 0 };
    await new FaceService(store, indexes).delete(['f0']);
    await Promise.all([indexes.compact('g1'), other.compact('g1')]);
    assert.deepEqual(await other.dueForCompaction(['g1'], now), []);
    await new FaceService(store, other).delete(['f1']);
    assert.deepEqual(await indexes.dueForCompaction(['g1'], now), ['g1']);
  });
});
