import type { FaceRecord, ImageRecord, Source } from '../domain/types.ts';
import type { NewFace, Store } from '../ports/store.ts';

// What the contract suites build their cases from: one gallery, one source, 8-dimensional faces.
export const at = '2026-01-01T00:00:00.000Z';
export const gallery = { id: 'g1', name: 'default', createdAt: at };

export const source: Source = {
  id: 's1', name: 'press', galleryId: 'g1', kind: 'directory', uri: '/srv/press', legalBasis: 'consent',
  specialCategoryCondition: null, jurisdictions: ['FR'], retentionDays: 30, controller: null, status: 'active', createdAt: at,
};

export const image = (id: string, sha256: string): ImageRecord => ({
  id, sourceId: 's1', sha256, perceptualHash: '00ff00ff00ff00ff', path: `/srv/press/${id}.jpg`, url: null, pageUrl: null,
  width: 250, height: 250, collectedAt: at,
});

export const face = (id: string, imageId: string, seed: number, overrides: Partial<NewFace> = {}): NewFace => ({
  id, imageId, galleryId: 'g1', box: { x: 1, y: 2, width: 100, height: 100 }, landmarks: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]],
  quality: { size: 100, detectionScore: 0.99, sharpness: 50, yaw: 0, roll: 0 }, modelId: 'm1', expiresAt: at, status: 'active',
  createdAt: at, embedding: Float32Array.from({ length: 8 }, (_, i) => seed + i / 10), ...overrides,
});

/** The record a store gives back for a face it stored under `vectorKey`. */
export const faceRecord = (f: NewFace, vectorKey: number): FaceRecord => ({
  id: f.id, imageId: f.imageId, galleryId: f.galleryId, vectorKey, box: f.box, landmarks: f.landmarks, quality: f.quality,
  modelId: f.modelId, expiresAt: f.expiresAt, status: f.status, createdAt: f.createdAt,
});

/** An empty store with the gallery and the source. */
export async function seeded(openEmpty: () => Promise<Store>): Promise<Store> {
  const store = await openEmpty();
  await store.galleries.create(gallery);
  await store.sources.create(source);
  return store;
}
