import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../ports/store.ts';
import { accountsContract } from './accounts-store.contract.ts';
import { rightsContract } from './rights-store.contract.ts';
import { at, face, faceRecord, gallery, image, seeded as seededWith, source } from './contract-fixtures.ts';

/** The behaviour every Store implementation must show; run it with a factory of empty stores. */
export function storeContract(name: string, openEmpty: () => Promise<Store>): void {
  const seeded = () => seededWith(openEmpty);

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

    it('finds a face by id and the faces of an image in key order, every field as stored', async () => {
      const store = await seeded();
      const [k1, k2] = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1), face('f2', 'i1', 2, { status: 'deleted' })]);
      assert.deepEqual(await store.faces.findById('f1'), faceRecord(face('f1', 'i1', 1), k1!));
      assert.deepEqual((await store.faces.findByImage('i1')).map((f) => [f.id, f.vectorKey, f.status]), [['f1', k1, 'active'], ['f2', k2, 'deleted']]);
      assert.equal(await store.faces.findById('nope'), undefined);
      await store.close();
    });

    it('counts, lists and streams only the active faces of the gallery asked for', async () => {
      const store = await seeded();
      await store.galleries.create({ id: 'g2', name: 'other', createdAt: at });
      await store.galleries.create({ id: 'g3', name: 'empty', createdAt: at });
      const [k1] = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1)]);
      const [k2, k3] = await store.images.insertWithFaces(image('i2', 'bb'),
        [face('f2', 'i2', 2, { galleryId: 'g2' }), face('f3', 'i2', 3, { status: 'deleted' })]);
      assert.deepEqual([await store.faces.countActive('g1'), await store.faces.countActive('g2'), await store.faces.countActive()], [1, 1, 2]);
      const streamed: number[] = [];
      for await (const batch of store.faces.streamEmbeddings('g1')) streamed.push(...batch.map((e) => e.vectorKey));
      assert.deepEqual(streamed, [k1]);
      assert.deepEqual(await store.faces.provenanceByVectorKeys([k3!, k2!]).then((p) => p.map((x) => x.face.id)), ['f2']);
      assert.deepEqual(await store.faces.activeIdsBySource('s1'), ['f1', 'f2']);
      assert.deepEqual([await store.faces.maxVectorKey('g2'), await store.faces.maxVectorKey('g3')], [k2, -1]);
      await store.close();
    });

    it('reads embeddings in the order of the keys asked for, and deletes nothing when asked for nothing', async () => {
      const store = await seeded();
      const keys = await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1), face('f2', 'i1', 2), face('f3', 'i1', 3)]);
      const read = await store.faces.embeddingsByVectorKeys([keys[2]!, 999_999, keys[0]!]);
      assert.deepEqual(read.map((e) => e.vectorKey), [keys[2], keys[0]]);
      assert.deepEqual([...read[0]!.embedding], [...face('f3', 'i1', 3).embedding]);
      assert.deepEqual(await store.faces.deleteByIds([]), []);
      assert.deepEqual(await store.faces.deleteByIds(['unknown']), []);
      assert.deepEqual(await store.faces.embeddingsByVectorKeys([]), []);
      assert.equal(await store.faces.countActive(), 3);
      assert.equal(await store.images.count(), 1);
      await store.close();
    });
  });

  accountsContract(name, seeded);
  rightsContract(name, seeded);
}
