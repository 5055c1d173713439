import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Likeness } from '../../src/composition.ts';
import type { Principal } from '../../src/domain/accounts.ts';
import type { NewFace } from '../../src/ports/store.ts';
import type { UploadService } from '../../src/services/uploads/upload-service.ts';
import { SyntheticFaces } from '../synthetic-faces.ts';

const FACES_PER_IMAGE = 100;

/**
 * A gallery for the API benchmark: the real fixture faces through the upload path, then
 * synthetic embeddings written straight to the store and the index to reach the wanted size.
 */
export async function fillGallery(likeness: Likeness, uploads: UploadService, who: Principal, size: number, fixtures: string): Promise<number> {
  const source = await likeness.catalogue.declareSource({
    name: 'bench', kind: 'upload', uri: 'bench', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30,
    specialCategoryCondition: 'substantial-public-interest',
  });
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.jpg')).sort();
  await uploads.upload(who, source.name, files.map((f) => ({ filename: f, bytes: readFileSync(join(fixtures, f)) })));

  const engine = await likeness.engine();
  const indexes = await likeness.indexes();
  const synthetic = new SyntheticFaces({ faces: size, dimension: engine.dimension, seed: 7, effectiveDimension: 100, facesPerIdentity: [1, 9] });
  const now = new Date().toISOString();
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const block = new Float32Array(FACES_PER_IMAGE * engine.dimension);
  for (let start = 0; start < size; start += FACES_PER_IMAGE) {
    const end = Math.min(size, start + FACES_PER_IMAGE);
    synthetic.fill(start, end, block);
    const imageId = `synthetic-${start}`;
    const faces: NewFace[] = [];
    for (let i = start; i < end; i++) {
      faces.push({
        id: `synthetic-face-${i}`, imageId, galleryId: source.galleryId, box: { x: 0, y: 0, width: 112, height: 112 }, landmarks: [],
        quality: { size: 112, detectionScore: 1, sharpness: 100, yaw: 0, roll: 0 }, modelId: engine.modelId, expiresAt, status: 'active', createdAt: now,
        embedding: block.slice((i - start) * engine.dimension, (i - start + 1) * engine.dimension),
      });
    }
    const keys = await likeness.store.images.insertWithFaces({
      id: imageId, sourceId: source.id, sha256: imageId, perceptualHash: '0', path: null, url: `https://example.org/${imageId}.jpg`,
      pageUrl: `https://example.org/${imageId}`, width: 1000, height: 1000, collectedAt: now,
    }, faces);
    await indexes.detached?.add(source.galleryId, keys, faces.map((f) => f.embedding));
  }
  await indexes.detached?.save();
  return likeness.store.faces.countActive(source.galleryId);
}
