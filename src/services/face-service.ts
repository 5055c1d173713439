import type { FaceRecord } from '../domain/types.ts';
import { LikenessError } from '../errors.ts';
import type { Store } from '../ports/store.ts';
import type { GalleryIndexes } from '../ports/gallery-indexes.ts';

/** Single faces: look one up, delete some. */
export class FaceService {
  constructor(private readonly store: Store, private readonly indexes: GalleryIndexes) {}

  async get(id: string): Promise<FaceRecord> {
    const face = await this.store.faces.findById(id);
    if (!face) throw new LikenessError('LIKENESS_NOT_FOUND', `No face ${id}`);
    return face;
  }

  /**
   * Deletes faces from the store and hides them in the index before returning, so no search
   * issued after this call can return them. Their vectors leave the index file at the next
   * compaction; their rows and embeddings leave the store file at the next checkpoint.
   */
  async delete(ids: readonly string[]): Promise<{ deleted: string[] }> {
    const faces = (await Promise.all(ids.map((id) => this.store.faces.findById(id)))).filter((f): f is FaceRecord => !!f);
    const removed = new Set(await this.store.faces.deleteByIds(faces.map((f) => f.id)));
    const byGallery = new Map<string, number[]>();
    for (const f of faces) {
      if (!removed.has(f.vectorKey)) continue;
      byGallery.set(f.galleryId, [...(byGallery.get(f.galleryId) ?? []), f.vectorKey]);
    }
    for (const [galleryId, keys] of byGallery) await this.indexes.remove(galleryId, keys);
    await this.indexes.detached?.save();
    return { deleted: faces.filter((f) => removed.has(f.vectorKey)).map((f) => f.id) };
  }
}
