import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { defaultIndexCodec } from '../../repositories/files/default-index-codec.ts';
import { FileVectorIndexStore } from '../../repositories/files/file-vector-index-store.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import type { NewFace } from '../../ports/store.ts';
import { FaceService } from '../../services/face-service.ts';
import { IndexService, type IndexServiceOptions } from './embedded-gallery-indexes.ts';
import { AdaptiveIndex } from './adaptive-index.ts';
import { IndexProfiles, DEFAULT_INDEX_PROFILE } from './index-profile.ts';
import { readUsearchHead } from './usearch-file.ts';
import type { Clock } from '../../ports/clock.ts';

const DIM = 64;
const at = '2026-01-01T00:00:00.000Z';

function unitVector(seed: number): Float32Array {
  const v = Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453 % 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

async function setup(dir: string, clock: Clock = { now: () => new Date(at) }, options: IndexServiceOptions = {}) {
  const store = await SqliteStore.open(join(dir, 'likeness.db'), { create: true });
  if (!(await store.galleries.findById('g'))) {
    await store.galleries.create({ id: 'g', name: 'default', createdAt: at });
    await store.sources.create({
      id: 's', name: 's', galleryId: 'g', kind: 'directory', uri: '/x', legalBasis: 'consent', specialCategoryCondition: null,
      jurisdictions: ['FR'], retentionDays: 1, controller: null, status: 'active', createdAt: at,
    });
  }
  const indexes = new IndexService(store, new FileVectorIndexStore(join(dir, 'index'), defaultIndexCodec), clock, { dimension: DIM, modelId: 'm' }, options);
  return { store, indexes, faces: new FaceService(store, indexes) };
}

async function addFaces(store: SqliteStore, from: number, to: number): Promise<Array<{ id: string; key: number; v: Float32Array }>> {
  const out = [];
  for (let i = from; i < to; i++) {
    const v = unitVector(i);
    const face: NewFace = {
      id: `f${i}`, imageId: `i${i}`, galleryId: 'g', box: { x: 0, y: 0, width: 1, height: 1 }, landmarks: [],
      quality: { size: 1, detectionScore: 1, sharpness: 1, yaw: 0, roll: 0 }, modelId: 'm', expiresAt: at, status: 'active', createdAt: at, embedding: v,
    };
    const [key] = await store.images.insertWithFaces({
      id: `i${i}`, sourceId: 's', sha256: `h${i}`, perceptualHash: '0', path: null, url: null, pageUrl: null, width: 1, height: 1, collectedAt: at,
    }, [face]);
    out.push({ id: face.id, key: key!, v });
  }
  return out;
}

function bytesOnDisk(dir: string, needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

describe('IndexService', () => {
  it('builds each gallery with the quantisation and cut-over of its profile', async () => {
    const dir = tempDir();
    const profiles = new IndexProfiles({ ...DEFAULT_INDEX_PROFILE, cutover: 1_000_000 }, { default: { quantisation: 'i8', cutover: 20 } });
    const { store, indexes } = await setup(dir, undefined, { profiles });
    const added = await addFaces(store, 0, 40);
    await indexes.add('g', added.map((f) => f.key), added.map((f) => f.v));
    const index = await indexes.get('g');
    assert.ok(index instanceof AdaptiveIndex);
    await index.settled();
    assert.equal(index.engine, 'hnsw', 'past its own cut-over of 20, not the default of 1,000,000');
    assert.equal(await indexes.compactsCheaply('g'), false, 'compacting an HNSW gallery rebuilds its graph');
    await indexes.save();
    assert.equal(readUsearchHead(join(dir, 'index', 'g.index')).quantisation, 'i8');
    const [top] = await indexes.search(['g'], added[5]!.v, 1);
    assert.equal(top!.key, added[5]!.key);
    indexes.close();
    await store.close();
  });

  it('catches up with faces committed after the index was last saved', async () => {
    const dir = tempDir();
    let { store, indexes } = await setup(dir);
    const first = await addFaces(store, 0, 10);
    await indexes.add('g', first.map((f) => f.key), first.map((f) => f.v));
    await indexes.save();
    // A process that committed more faces and died before saving its index.
    await addFaces(store, 10, 15);
    indexes.close();
    await store.close();

    ({ store, indexes } = await setup(dir));
    const index = await indexes.get('g');
    assert.equal(index.size, 15);
    const [top] = await indexes.search(['g'], unitVector(12), 1);
    assert.equal(top!.score > 0.999, true);
    indexes.close();
    await store.close();
  });

  it('never returns a deleted face to a search issued after the delete returns', async () => {
    const dir = tempDir();
    const { store, indexes, faces } = await setup(dir);
    const added = await addFaces(store, 0, 20);
    await indexes.add('g', added.map((f) => f.key), added.map((f) => f.v));
    await faces.delete(['f7']);
    const matches = await indexes.search(['g'], unitVector(7), 20);
    assert.ok(!matches.some((m) => m.key === added[7]!.key));
    await assert.rejects(faces.get('f7'), { code: 'LIKENESS_NOT_FOUND' });
    indexes.close();
    await store.close();
  });

  it('leaves no byte of a removed embedding anywhere in the data directory after compaction', async () => {
    const dir = tempDir();
    const { store, indexes, faces } = await setup(dir);
    const added = await addFaces(store, 0, 50);
    await indexes.add('g', added.map((f) => f.key), added.map((f) => f.v));
    await indexes.save();
    await store.checkpoint();
    const needle = Buffer.from(added[13]!.v.buffer).subarray(0, 32);
    assert.ok(bytesOnDisk(dir, needle).length > 0, 'the embedding is on disk before the delete');

    await faces.delete(['f13']);
    assert.deepEqual(await indexes.dueForCompaction(['g']), [], 'one removal in fifty is below the default fraction');
    await indexes.compact('g');
    assert.deepEqual(bytesOnDisk(dir, needle), []);
    assert.equal((await indexes.get('g')).size, 49);
    indexes.close();
    await store.close();
  });

  it('makes a gallery due for compaction by fraction removed or by the age of the first removal', async () => {
    let now = Date.parse(at);
    const { store, indexes, faces } = await setup(tempDir(), { now: () => new Date(now) });
    const added = await addFaces(store, 0, 20);
    await indexes.add('g', added.map((f) => f.key), added.map((f) => f.v));
    await faces.delete(['f1']);
    const policy = { maxPendingFraction: 0.1, maxPendingAgeMs: 3_600_000 };
    assert.deepEqual(await indexes.dueForCompaction(['g'], policy), []);
    now += 3_600_000;
    assert.deepEqual(await indexes.dueForCompaction(['g'], policy), ['g'], 'due once the first removal is an hour old');
    await indexes.compact('g');
    assert.deepEqual(await indexes.dueForCompaction(['g'], policy), []);
    await faces.delete(['f2', 'f3', 'f4']);
    assert.deepEqual(await indexes.dueForCompaction(['g'], policy), ['g'], 'due once over a tenth is removed');
    indexes.close();
    await store.close();
  });

  it('keeps answering from the old index while a rebuild runs, and the new one carries every change made meanwhile', async () => {
    const dir = tempDir();
    const { store, indexes, faces } = await setup(dir);
    const added = await addFaces(store, 0, 40);
    await indexes.add('g', added.map((f) => f.key), added.map((f) => f.v));
    // The rebuild reads the store only once these changes and searches are done.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stream = store.faces.streamEmbeddings.bind(store.faces);
    store.faces.streamEmbeddings = async function* (galleryId, options) {
      await gate;
      yield* stream(galleryId, options);
    };
    const rebuilt = indexes.rebuild('g');
    await faces.delete(['f5']);
    const [late] = await addFaces(store, 40, 41);
    await indexes.add('g', [late!.key], [late!.v]);
    const during = await indexes.search(['g'], unitVector(20), 1);
    assert.equal(during[0]!.key, added[20]!.key, 'the old index answers while the new one is built');
    release();
    assert.equal(await rebuilt, 40);
    const after = await indexes.search(['g'], unitVector(5), 40);
    assert.ok(!after.some((m) => m.key === added[5]!.key), 'a face deleted during the rebuild stays out');
    assert.equal((await indexes.search(['g'], unitVector(40), 1))[0]!.key, late!.key, 'a face added during the rebuild is in');
    indexes.close();
    await store.close();
  });

  it('serves a saved HNSW index memory-mapped, hides deletions at once, and reads the file in on the first addition', async () => {
    const dir = tempDir();
    let { store, indexes } = await setup(dir);
    const added = await addFaces(store, 0, 30);
    const hnsw = new AdaptiveIndex({ dimension: DIM, cutover: 1 });
    hnsw.add(added.map((f) => f.key), added.map((f) => f.v));
    await hnsw.settled();
    assert.equal(hnsw.engine, 'hnsw');
    new FileVectorIndexStore(join(dir, 'index'), defaultIndexCodec).save('g', hnsw, {
      dimension: DIM, modelId: 'm', coveredKey: added[29]!.key, size: 30, savedAt: at, pendingRemovals: 0, firstPendingRemovalAt: null,
    });
    hnsw.close();
    indexes.close();
    await store.close();

    const served = await setup(dir, undefined, { open: 'view' });
    ({ store, indexes } = served);
    const faces = served.faces;
    assert.equal((await indexes.search(['g'], unitVector(3), 1))[0]!.key, added[3]!.key);
    await faces.delete(['f3']);
    assert.ok(!(await indexes.search(['g'], unitVector(3), 30)).some((m) => m.key === added[3]!.key));
    await indexes.save();
    const manifest = JSON.parse(readFileSync(join(dir, 'index', 'g.manifest.json'), 'utf8')) as { pendingRemovals: number };
    assert.equal(manifest.pendingRemovals, 1, 'the removal waits in the manifest for compaction');

    const [late] = await addFaces(store, 30, 31);
    await indexes.add('g', [late!.key], [late!.v]);
    assert.equal((await indexes.search(['g'], unitVector(30), 1))[0]!.key, late!.key);
    assert.ok(!(await indexes.search(['g'], unitVector(3), 31)).some((m) => m.key === added[3]!.key), 'the view\'s removal survives the load');
    await indexes.save();
    indexes.close();
    await store.close();
  });
});
