import type { ImageRecord } from '../../src/domain/types.ts';
import { at, source } from '../../src/repositories/contract-fixtures.ts';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import type { NewFace } from '../../src/ports/store.ts';
import { freshDatabase } from './fresh-database.ts';

// Faces of any dimension, and stores seeded like the contract suite's (src/repositories/contract-fixtures.ts).

export { source };

export const image = (id: string): ImageRecord => ({
  id, sourceId: 's1', sha256: `sha-${id}`, perceptualHash: '00ff00ff00ff00ff', path: `/srv/press/${id}.jpg`, url: null, pageUrl: null,
  width: 250, height: 250, collectedAt: at,
});

/** A face whose embedding is a distinctive run of values, different for each seed. */
export const face = (id: string, imageId: string, seed: number, dimension: number): NewFace => ({
  id, imageId, galleryId: 'g1', box: { x: 1, y: 2, width: 100, height: 100 }, landmarks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]],
  quality: { size: 100, detectionScore: 0.99, sharpness: 50, yaw: 0, roll: 0 }, modelId: 'm1', expiresAt: at, status: 'active',
  createdAt: at, embedding: Float32Array.from({ length: dimension }, (_, i) => Math.sin(seed * 7.31 + i * 1.2345) * 0.0441),
});

/** A store in a database of its own on the cluster of `url`, with gallery g1 and source s1. */
export async function seededStore(url: string, dimension = 8): Promise<{ store: PostgresStore; db: string }> {
  const db = await freshDatabase(url);
  const store = await PostgresStore.open(db, { create: true, dimension });
  await store.galleries.create({ id: 'g1', name: 'default', createdAt: at });
  await store.sources.create(source);
  return { store, db };
}
