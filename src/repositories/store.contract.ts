import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageRecord, Source } from '../domain/types.ts';
import type { NewFace, Store } from './store.ts';

/** The behaviour every Store implementation must show; run it with a factory of empty stores. */
export function storeContract(name: string, openEmpty: () => Promise<Store>): void {
  const at = '2026-01-01T00:00:00.000Z';
  const gallery = { id: 'g1', name: 'default', createdAt: at };
  const source: Source = {
    id: 's1', name: 'press', galleryId: 'g1', kind: 'directory', uri: '/srv/press', legalBasis: 'consent',
    specialCategoryCondition: null, jurisdictions: ['FR'], retentionDays: 30, controller: null, status: 'active', createdAt: at,
  };
  const image = (id: string, sha256: string): ImageRecord => ({
    id, sourceId: 's1', sha256, perceptualHash: '00ff00ff00ff00ff', path: `/srv/press/${id}.jpg`, url: null, pageUrl: null,
    width: 250, height: 250, collectedAt: at,
  });
  const face = (id: string, imageId: string, seed: number): NewFace => ({
    id, imageId, galleryId: 'g1', box: { x: 1, y: 2, width: 100, height: 100 }, landmarks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]],
    quality: { size: 100, detectionScore: 0.99, sharpness: 50, yaw: 0, roll: 0 }, modelId: 'm1', expiresAt: at, status: 'active',
    createdAt: at, embedding: Float32Array.from({ length: 8 }, (_, i) => seed + i / 10),
  });

  async function seeded(): Promise<Store> {
    const store = await openEmpty();
    await store.galleries.create(gallery);
    await store.sources.create(source);
    return store;
  }

  describe(`${name}: Store contract`, () => {
    it('round-trips galleries and sources', async () => {
      const store = await seeded();
      assert.deepEqual(await store.galleries.findByName('default'), gallery);
      assert.deepEqual(await store.sources.findByName('press'), source);
      assert.deepEqual(await store.sources.list(), [source]);
      await store.close();
    });

    it('stores an image with its faces and gives each face a new, increasing vector key', async () => {
      const store = await seeded();
      const keys = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1), face('f2', 'i1', 2)]);
      const more = await store.images.insertWithFaces(image('i2', 'bb'), [face('f3', 'i2', 3)]);
      assert.equal(keys.length, 2);
      assert.ok(keys[0]! < keys[1]! && keys[1]! < more[0]!);
      assert.equal((await store.images.findBySha256('s1', 'aa'))?.id, 'i1');
      assert.equal(await store.faces.countActive('g1'), 3);
      const embeddings = await store.faces.embeddingsByVectorKeys([more[0]!]);
      assert.deepEqual([...embeddings[0]!.embedding], [...face('f3', 'i2', 3).embedding]);
      await store.close();
    });

    it('updates a source declaration, and lists the active faces of a source with the policy decision of each image', async () => {
      const store = await seeded();
      await store.images.insertWithFaces({ ...image('i1', 'aa'), policyDecision: '{"outcome":"allow"}' }, [face('f1', 'i1', 1), face('f2', 'i1', 2)]);
      await store.sources.update({ ...source, retentionDays: 10, jurisdictions: ['DE'], status: 'paused' });
      assert.deepEqual(await store.sources.findById('s1'), { ...source, retentionDays: 10, jurisdictions: ['DE'], status: 'paused' });
      assert.equal((await store.images.findBySha256('s1', 'aa'))?.policyDecision, '{"outcome":"allow"}');
      assert.deepEqual(await store.faces.activeIdsBySource('s1'), ['f1', 'f2']);
      await store.faces.deleteByIds(['f1']);
      assert.deepEqual(await store.faces.activeIdsBySource('s1'), ['f2']);
      await store.close();
    });

    it('stores nothing of an image whose faces cannot be stored', async () => {
      const store = await seeded();
      await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1)]);
      await assert.rejects(store.images.insertWithFaces(image('i2', 'bb'), [face('f2', 'i2', 2), face('f1', 'i2', 3)]));
      assert.equal(await store.images.findBySha256('s1', 'bb'), undefined);
      assert.equal(await store.faces.countActive(), 1);
      await store.close();
    });

    it('returns provenance in the order of the keys asked for, leaving out unknown keys', async () => {
      const store = await seeded();
      const [k1] = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1)]);
      const [k2] = await store.images.insertWithFaces(image('i2', 'bb'), [face('f2', 'i2', 2)]);
      const found = await store.faces.provenanceByVectorKeys([k2!, 999_999, k1!]);
      assert.deepEqual(found.map((p) => p.face.id), ['f2', 'f1']);
      assert.equal(found[0]!.source.name, 'press');
      assert.equal(found[0]!.image.path, '/srv/press/i2.jpg');
      await store.close();
    });

    it('streams embeddings in key order, after a key when asked', async () => {
      const store = await seeded();
      for (let i = 0; i < 5; i++) await store.images.insertWithFaces(image(`i${i}`, `h${i}`), [face(`f${i}`, `i${i}`, i)]);
      const all: number[] = [];
      for await (const batch of store.faces.streamEmbeddings('g1', { batchSize: 2 })) all.push(...batch.map((e) => e.vectorKey));
      assert.equal(all.length, 5);
      assert.deepEqual(all, [...all].sort((a, b) => a - b));
      const later: number[] = [];
      for await (const batch of store.faces.streamEmbeddings('g1', { afterKey: all[2]! })) later.push(...batch.map((e) => e.vectorKey));
      assert.deepEqual(later, all.slice(3));
      await store.close();
    });

    it('deletes faces with their embeddings, never reusing their keys', async () => {
      const store = await seeded();
      const [k1] = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1)]);
      assert.deepEqual(await store.faces.deleteByIds(['f1', 'unknown']), [k1]);
      assert.equal(await store.faces.findById('f1'), undefined);
      assert.deepEqual(await store.faces.embeddingsByVectorKeys([k1!]), []);
      assert.deepEqual(await store.faces.provenanceByVectorKeys([k1!]), []);
      const [k2] = await store.images.insertWithFaces(image('i2', 'bb'), [face('f2', 'i2', 2)]);
      assert.ok(k2! > k1!);
      await store.close();
    });
  });
}
