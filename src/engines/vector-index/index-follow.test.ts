import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { defaultIndexCodec } from '../../repositories/files/default-index-codec.ts';
import { FileVectorIndexStore } from '../../repositories/files/file-vector-index-store.ts';
import { FACE_CHANGE_WINDOW } from '../../repositories/sqlite/migrations/005-face-changes.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import type { NewFace } from '../../ports/store.ts';
import { FaceService } from '../../services/face-service.ts';
import { IndexService, type IndexServiceOptions } from './embedded-gallery-indexes.ts';

// Two processes on one data directory, as `likeness serve` and `likeness ingest` are: each opens
// the SQLite file and the index files on its own; nothing is shared but what is on disk.

const DIM = 32;
const at = '2026-01-01T00:00:00.000Z';

function unitVector(seed: number): Float32Array {
  const v = Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453 % 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

interface Process {
  store: SqliteStore;
  indexes: IndexService;
  faces: FaceService;
  close(): Promise<void>;
}

async function openProcess(dir: string, options: IndexServiceOptions = {}): Promise<Process> {
  const store = await SqliteStore.open(join(dir, 'likeness.db'), { create: true });
  if (!(await store.galleries.findById('g'))) {
    await store.galleries.create({ id: 'g', name: 'default', createdAt: at });
    await store.sources.create({
      id: 's', name: 's', galleryId: 'g', kind: 'directory', uri: '/x', legalBasis: 'consent', specialCategoryCondition: null,
      jurisdictions: ['FR'], retentionDays: 1, controller: null, status: 'active', createdAt: at,
    });
  }
  const indexes = new IndexService(store, new FileVectorIndexStore(join(dir, 'index'), defaultIndexCodec), { now: () => new Date(at) },
    { dimension: DIM, modelId: 'm' }, { changes: store.faceChanges, ...options });
  return {
    store, indexes, faces: new FaceService(store, indexes),
    close: async () => {
      await indexes.save();
      indexes.close();
      await store.close();
    },
  };
}

/** What an ingest does: commit the face, then add it to this process's index. */
async function ingest(p: Process, seed: number): Promise<{ id: string; key: number; v: Float32Array }> {
  const v = unitVector(seed);
  const face: NewFace = {
    id: `f${seed}`, imageId: `i${seed}`, galleryId: 'g', box: { x: 0, y: 0, width: 1, height: 1 }, landmarks: [],
    quality: { size: 1, detectionScore: 1, sharpness: 1, yaw: 0, roll: 0 }, modelId: 'm', expiresAt: at, status: 'active', createdAt: at, embedding: v,
  };
  const [key] = await p.store.images.insertWithFaces({
    id: `i${seed}`, sourceId: 's', sha256: `h${seed}`, perceptualHash: '0', path: null, url: null, pageUrl: null, width: 1, height: 1, collectedAt: at,
  }, [face]);
  await p.indexes.add('g', [key!], [v]);
  return { id: face.id, key: key!, v };
}

async function candidates(p: Process, query: Float32Array): Promise<number[]> {
  return (await p.indexes.search(['g'], query, 5)).map((m) => m.key);
}

describe('IndexService following the store', () => {
  it('makes a face another process ingested a candidate once it has followed the log', async () => {
    const dir = tempDir();
    const server = await openProcess(dir);
    const ingester = await openProcess(dir);
    const before = await ingest(ingester, 1);
    await server.indexes.follow();
    assert.deepEqual(await candidates(server, before.v), [before.key]);

    const added = await ingest(ingester, 2);
    assert.ok(!(await candidates(server, added.v)).includes(added.key), 'not before the server follows the log');
    const report = await server.indexes.follow();
    assert.equal(report.applied, 1);
    assert.equal(report.caughtUp, true);
    assert.equal((await candidates(server, added.v))[0], added.key);
    await ingester.close();
    await server.close();
  });

  it('stops returning a face another process deleted', async () => {
    const dir = tempDir();
    const server = await openProcess(dir, { open: 'view' });
    const ingester = await openProcess(dir);
    const faces = [await ingest(ingester, 1), await ingest(ingester, 2)];
    await ingester.indexes.save();
    assert.ok((await candidates(server, faces[0]!.v)).includes(faces[0]!.key));

    await ingester.faces.delete([faces[0]!.id]);
    assert.equal((await server.indexes.follow()).applied, 1);
    assert.deepEqual(await candidates(server, faces[0]!.v), [faces[1]!.key]);
    assert.equal(await server.indexes.size('g'), 1);
    await ingester.close();
    await server.close();
  });

  it('skips its own changes when they come back through the log', async () => {
    const dir = tempDir();
    const p = await openProcess(dir);
    const faces = [await ingest(p, 1), await ingest(p, 2), await ingest(p, 3)];
    await p.faces.delete([faces[1]!.id]);
    const report = await p.indexes.follow();
    assert.equal(report.applied, 0, 'the index already holds the additions and no longer holds the deleted face');
    assert.equal(await p.indexes.size('g'), 2);
    assert.deepEqual(await p.indexes.dueForCompaction(['g'], { maxPendingFraction: 0.4, maxPendingAgeMs: 3_600_000 }), [],
      'one removal of three counted once: a third, under the 40% bound');
    await p.close();
  });

  it('works off a backlog in bounded passes', async () => {
    const dir = tempDir();
    const server = await openProcess(dir, { followBatch: 2 });
    const ingester = await openProcess(dir);
    await ingest(ingester, 0);
    await server.indexes.size('g');
    for (let i = 1; i <= 5; i++) await ingest(ingester, i);
    const passes = [];
    for (let report = await server.indexes.follow(); ; report = await server.indexes.follow()) {
      passes.push(report.applied);
      if (report.caughtUp) break;
    }
    assert.deepEqual(passes, [2, 2, 1]);
    assert.equal(await server.indexes.size('g'), 6);
    await ingester.close();
    await server.close();
  });

  it('catches up on deletions as well as additions when an index is opened again', async () => {
    const dir = tempDir();
    const first = await openProcess(dir);
    const faces = [await ingest(first, 1), await ingest(first, 2)];
    await first.close();

    const other = await openProcess(dir);
    await other.store.faces.deleteByIds([faces[0]!.id]);
    const added = await ingest(other, 3);
    await other.store.close();

    for (const open of ['load', 'view'] as const) {
      const reopened = await openProcess(dir, { open });
      const index = await reopened.indexes.get('g');
      assert.equal(index.has(faces[0]!.key), false, `${open}: the face deleted after the save is not in the index`);
      assert.equal(index.has(faces[1]!.key), true);
      assert.equal(index.has(added.key), true, `${open}: the face added after the save is`);
      reopened.indexes.close();
      await reopened.store.close();
    }
  });

  it('hides again, in a view opened later, the faces a view hid before it saved', async () => {
    const dir = tempDir();
    const ingester = await openProcess(dir);
    const faces = [await ingest(ingester, 1), await ingest(ingester, 2)];
    await ingester.indexes.save();
    const server = await openProcess(dir, { open: 'view' });
    await server.indexes.size('g');
    await ingester.store.faces.deleteByIds([faces[0]!.id]);
    await server.indexes.follow();
    await server.close();
    await ingester.store.close();

    const later = await openProcess(dir, { open: 'view' });
    assert.equal((await later.indexes.get('g')).has(faces[0]!.key), false);
    assert.equal(await later.indexes.size('g'), 1);
    await later.close();
  });

  it('rebuilds a gallery whose index fell out of the window of changes kept', async () => {
    const dir = tempDir();
    const server = await openProcess(dir);
    const ingester = await openProcess(dir);
    const faces = [await ingest(ingester, 1), await ingest(ingester, 2)];
    await server.indexes.size('g');
    await ingester.store.faces.deleteByIds([faces[0]!.id]);
    const added = await ingest(ingester, 3);
    // The window slid past the server's position while it was not looking.
    const db = new BetterSqlite3(join(dir, 'likeness.db'));
    db.prepare('DELETE FROM face_changes').run();
    db.close();

    const report = await server.indexes.follow();
    assert.deepEqual(report.rebuilt, ['g']);
    const index = await server.indexes.get('g');
    assert.equal(index.has(faces[0]!.key), false);
    assert.equal(index.has(added.key), true);
    assert.deepEqual((await server.indexes.follow()).rebuilt, [], 'once rebuilt, it follows the log again');
    await ingester.close();
    await server.close();
  });

  it('keeps a bounded window of changes, written with the face in its transaction', async () => {
    const dir = tempDir();
    const p = await openProcess(dir);
    const face = await ingest(p, 1);
    await p.faces.delete([face.id]);
    assert.deepEqual((await p.store.faceChanges.after(0, 10)).map((c) => [c.kind, c.vectorKey]), [['add', face.key], ['remove', face.key]]);

    const db = new BetterSqlite3(join(dir, 'likeness.db'));
    const insert = db.prepare("INSERT INTO face_changes (gallery_id, vector_key, kind) VALUES ('g', ?, 'add')");
    db.transaction(() => {
      for (let i = 0; i < FACE_CHANGE_WINDOW + 10; i++) insert.run(1_000_000 + i);
    })();
    db.close();
    const position = await p.store.faceChanges.position();
    assert.equal(position.newest - position.oldestKept + 1, FACE_CHANGE_WINDOW);
    assert.equal(position.newest, FACE_CHANGE_WINDOW + 12);
    await p.close();
  });
});
