import type { Kysely } from 'kysely';
import type { StoredEmbedding } from '../../ports/store.ts';
import type { Database } from '../kysely/schema.ts';
import { atomic } from '../kysely/atomic.ts';
import { chunks } from '../kysely/chunks.ts';
import { keysetPages } from '../kysely/keyset-pages.ts';
import { KyselyFaceRepository } from '../kysely/face-repository.ts';
import { embeddingFromBlob } from '../kysely/row-mappers.ts';
import type { EmbeddingsDatabase } from './embeddings-schema.ts';

export class SqliteFaceRepository extends KyselyFaceRepository {
  private readonly withEmbeddings: Kysely<Database & EmbeddingsDatabase>;

  constructor(db: Kysely<Database>) {
    super(db);
    this.withEmbeddings = db.withTables<EmbeddingsDatabase>();
  }

  async embeddingsByVectorKeys(keys: readonly number[]): Promise<StoredEmbedding[]> {
    const byKey = new Map<number, Float32Array>();
    for (const part of chunks(keys)) {
      const rows = await this.withEmbeddings.selectFrom('face_embeddings').selectAll().where('vector_key', 'in', part).execute();
      for (const r of rows) byKey.set(r.vector_key, embeddingFromBlob(r.vector));
    }
    return keys.flatMap((k) => {
      const embedding = byKey.get(k);
      return embedding ? [{ vectorKey: k, embedding }] : [];
    });
  }

  async *streamEmbeddings(galleryId: string, options: { afterKey?: number; batchSize?: number } = {}): AsyncIterable<StoredEmbedding[]> {
    const batchSize = options.batchSize ?? 10_000;
    yield* keysetPages(options.afterKey ?? -1, async (after) => {
      const rows = await this.withEmbeddings.selectFrom('face_embeddings as e')
        .innerJoin('faces as f', 'f.vector_key', 'e.vector_key')
        .select(['e.vector_key', 'e.vector'])
        .where('f.gallery_id', '=', galleryId).where('f.status', '=', 'active').where('e.vector_key', '>', after)
        .orderBy('e.vector_key').limit(batchSize).execute();
      return rows.map((r) => ({ vectorKey: r.vector_key, embedding: embeddingFromBlob(r.vector) }));
    });
  }

  async deleteByIds(ids: readonly string[]): Promise<number[]> {
    return atomic(this.withEmbeddings, async (trx) => {
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
