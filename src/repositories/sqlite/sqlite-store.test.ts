import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { storeContract } from '../store.contract.ts';
import { SqliteStore } from './sqlite-store.ts';

storeContract('SQLite', () => SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true }));

it('SQLite: a deleted embedding leaves no bytes in the store files after a checkpoint', async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(join(dir, 'likeness.db'), { create: true });
  await store.galleries.create({ id: 'g', name: 'default', createdAt: 'now' });
  await store.sources.create({
    id: 's', name: 's', galleryId: 'g', kind: 'directory', uri: '/x', legalBasis: 'consent', specialCategoryCondition: null,
    jurisdictions: ['FR'], retentionDays: 1, controller: null, status: 'active', createdAt: 'now',
  });
  // A distinctive vector whose bytes cannot occur by chance.
  const embedding = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.2345) * 0.0441);
  await store.images.insertWithFaces(
    { id: 'i', sourceId: 's', sha256: 'h', perceptualHash: '0', path: null, url: null, pageUrl: null, width: 1, height: 1, collectedAt: 'now' },
    [{ id: 'f', imageId: 'i', galleryId: 'g', box: { x: 0, y: 0, width: 1, height: 1 }, landmarks: [], quality: { size: 1, detectionScore: 1, sharpness: 1, yaw: 0, roll: 0 },
      modelId: 'm', expiresAt: 'now', status: 'active', createdAt: 'now', embedding }],
  );
  const needle = Buffer.from(embedding.buffer).subarray(0, 64);
  const haystack = () => readdirSync(dir).map((f) => readFileSync(join(dir, f))).some((bytes) => bytes.includes(needle));
  await store.checkpoint();
  assert.ok(haystack(), 'the embedding is on disk before the delete');
  await store.faces.deleteByIds(['f']);
  await store.checkpoint();
  assert.ok(!haystack(), 'no byte run of the deleted embedding remains');
  await store.close();
});
