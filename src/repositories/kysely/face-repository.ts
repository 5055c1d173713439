import type { Kysely } from 'kysely';
import type { FaceRecord } from '../../domain/types.ts';
import type { FaceProvenance, FaceRepository, StoredEmbedding } from '../../ports/store.ts';
import type { Database } from './schema.ts';
import { chunks } from './chunks.ts';
import { FACE_COLUMNS, faceFromRow, imageFromRow, sourceFromRow } from './row-mappers.ts';

/**
 * The face queries both stores share. Where the embedding is kept differs (SQLite: a table of its
 * own; PostgreSQL: a column of faces), so reading embeddings and deleting faces with them are left
 * to each store. Columns are named, never `*`: on PostgreSQL that would drag every embedding along.
 */
export abstract class KyselyFaceRepository implements FaceRepository {
  constructor(protected readonly db: Kysely<Database>) {}

  abstract embeddingsByVectorKeys(keys: readonly number[]): Promise<StoredEmbedding[]>;
  abstract streamEmbeddings(galleryId: string, options?: { afterKey?: number; batchSize?: number }): AsyncIterable<StoredEmbedding[]>;
  abstract deleteByIds(ids: readonly string[]): Promise<number[]>;

  async findById(id: string): Promise<FaceRecord | undefined> {
    const row = await this.db.selectFrom('faces').select(FACE_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && faceFromRow(row);
  }

  async activeIdsBySource(sourceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('faces').innerJoin('images', 'images.id', 'faces.image_id')
      .select('faces.id').where('images.source_id', '=', sourceId).where('faces.status', '=', 'active').orderBy('faces.vector_key').execute();
    return rows.map((r) => r.id);
  }

  async findByImage(imageId: string): Promise<FaceRecord[]> {
    const rows = await this.db.selectFrom('faces').select(FACE_COLUMNS).where('image_id', '=', imageId).orderBy('vector_key').execute();
    return rows.map(faceFromRow);
  }

  async provenanceByVectorKeys(keys: readonly number[]): Promise<FaceProvenance[]> {
    const byKey = new Map<number, FaceProvenance>();
    for (const part of chunks(keys)) {
      const faces = await this.db.selectFrom('faces').select(FACE_COLUMNS)
        .where('vector_key', 'in', part).where('status', '=', 'active').execute();
      if (faces.length === 0) continue;
      const images = await this.db.selectFrom('images').selectAll()
        .where('id', 'in', [...new Set(faces.map((f) => f.image_id))]).execute();
      const imageById = new Map(images.map((r) => [r.id, imageFromRow(r)]));
      const sources = await this.db.selectFrom('sources').selectAll()
        .where('id', 'in', [...new Set(images.map((i) => i.source_id))]).execute();
      const sourceById = new Map(sources.map((r) => [r.id, sourceFromRow(r)]));
      for (const row of faces) {
        const image = imageById.get(row.image_id);
        const source = image && sourceById.get(image.sourceId);
        if (image && source) byKey.set(row.vector_key, { face: faceFromRow(row), image, source });
      }
    }
    return keys.flatMap((k) => byKey.get(k) ?? []);
  }

  async countActive(galleryId?: string): Promise<number> {
    let q = this.db.selectFrom('faces').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active');
    if (galleryId) q = q.where('gallery_id', '=', galleryId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async maxVectorKey(galleryId: string): Promise<number> {
    const row = await this.db.selectFrom('faces').select((eb) => eb.fn.max('vector_key').as('m'))
      .where('gallery_id', '=', galleryId).executeTakeFirst();
    return row?.m == null ? -1 : Number(row.m);
  }
}
