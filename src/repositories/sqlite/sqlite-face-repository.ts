import type { Kysely } from 'kysely';
import type { FaceRecord } from '../../domain/types.ts';
import type { FaceProvenance, FaceRepository, StoredEmbedding } from '../store.ts';
import type { Database } from './schema.ts';
import { embeddingFromBlob, faceFromRow, imageFromRow, sourceFromRow } from './row-mappers.ts';

// SQLite caps bound parameters per statement; chunk key lists well below it.
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export class SqliteFaceRepository implements FaceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findById(id: string): Promise<FaceRecord | undefined> {
    const row = await this.db.selectFrom('faces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && faceFromRow(row);
  }

  async activeIdsBySource(sourceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('faces').innerJoin('images', 'images.id', 'faces.image_id')
      .select('faces.id').where('images.source_id', '=', sourceId).where('faces.status', '=', 'active').orderBy('faces.vector_key').execute();
    return rows.map((r) => r.id);
  }

  async findByImage(imageId: string): Promise<FaceRecord[]> {
    const rows = await this.db.selectFrom('faces').selectAll().where('image_id', '=', imageId).orderBy('vector_key').execute();
    return rows.map(faceFromRow);
  }

  async provenanceByVectorKeys(keys: readonly number[]): Promise<FaceProvenance[]> {
    const byKey = new Map<number, FaceProvenance>();
    for (const part of chunks(keys)) {
      const faces = await this.db.selectFrom('faces').selectAll()
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

  async embeddingsByVectorKeys(keys: readonly number[]): Promise<StoredEmbedding[]> {
    const byKey = new Map<number, Float32Array>();
    for (const part of chunks(keys)) {
      const rows = await this.db.selectFrom('face_embeddings').selectAll().where('vector_key', 'in', part).execute();
      for (const r of rows) byKey.set(r.vector_key, embeddingFromBlob(r.vector));
    }
    return keys.flatMap((k) => {
      const embedding = byKey.get(k);
      return embedding ? [{ vectorKey: k, embedding }] : [];
    });
  }

  async *streamEmbeddings(galleryId: string, options: { afterKey?: number; batchSize?: number } = {}): AsyncIterable<StoredEmbedding[]> {
    const batchSize = options.batchSize ?? 10_000;
    let after = options.afterKey ?? -1;
    for (;;) {
      const rows = await this.db.selectFrom('face_embeddings as e')
        .innerJoin('faces as f', 'f.vector_key', 'e.vector_key')
        .select(['e.vector_key', 'e.vector'])
        .where('f.gallery_id', '=', galleryId).where('f.status', '=', 'active').where('e.vector_key', '>', after)
        .orderBy('e.vector_key').limit(batchSize).execute();
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.vector_key;
      yield rows.map((r) => ({ vectorKey: r.vector_key, embedding: embeddingFromBlob(r.vector) }));
    }
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

  async deleteByIds(ids: readonly string[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const removed: number[] = [];
      for (const part of chunks(ids)) {
        const rows = await trx.selectFrom('faces').select('vector_key').where('id', 'in', part).execute();
        const keys = rows.map((r) => r.vector_key);
        if (keys.length === 0) continue;
        await trx.deleteFrom('face_embeddings').where('vector_key', 'in', keys).execute();
        await trx.deleteFrom('faces').where('vector_key', 'in', keys).execute();
        removed.push(...keys);
      }
      return removed;
    });
  }
}
