import type { Kysely } from 'kysely';
import type { StoredEmbedding } from '../../ports/store.ts';
import { chunks } from '../kysely/chunks.ts';
import { keysetPages } from '../kysely/keyset-pages.ts';
import { KyselyFaceRepository } from '../kysely/face-repository.ts';
import type { Database } from '../kysely/schema.ts';
import { atomic } from '../kysely/atomic.ts';
import { withPostgresTables, type PostgresKysely } from './schema.ts';
import { embeddingBytes, fromVectorSend } from './vector-binary.ts';

/** Faces whose embedding is a column of their own row: one table to read and to delete from. */
export class PostgresFaceRepository extends KyselyFaceRepository {
  private readonly pg: PostgresKysely;

  constructor(db: Kysely<Database>) {
    super(db);
    this.pg = withPostgresTables(db);
  }

  async embeddingsByVectorKeys(keys: readonly number[]): Promise<StoredEmbedding[]> {
    const byKey = new Map<number, Float32Array>();
    for (const part of chunks(keys)) {
      const rows = await this.pg.selectFrom('faces').select(['vector_key', embeddingBytes.as('embedding')]).where('vector_key', 'in', part).execute();
      for (const r of rows) byKey.set(r.vector_key, fromVectorSend(r.embedding));
    }
    return keys.flatMap((k) => {
      const embedding = byKey.get(k);
      return embedding ? [{ vectorKey: k, embedding }] : [];
    });
  }

  async *streamEmbeddings(galleryId: string, options: { afterKey?: number; batchSize?: number } = {}): AsyncIterable<StoredEmbedding[]> {
    const batchSize = options.batchSize ?? 10_000;
    yield* keysetPages(options.afterKey ?? -1, async (after) => {
      const rows = await this.pg.selectFrom('faces').select(['vector_key', embeddingBytes.as('embedding')])
        .where('gallery_id', '=', galleryId).where('status', '=', 'active').where('vector_key', '>', after)
        .orderBy('vector_key').limit(batchSize).execute();
      return rows.map((r) => ({ vectorKey: r.vector_key, embedding: fromVectorSend(r.embedding) }));
    });
  }

  async deleteByIds(ids: readonly string[]): Promise<number[]> {
    // The embedding goes with its row, in one statement per slice; the HNSW index stops returning
    // it at commit, and VACUUM (checkpoint()) makes its space reusable.
    return atomic(this.pg, async (trx) => {
      const removed: number[] = [];
      for (const part of chunks(ids)) {
        const rows = await trx.deleteFrom('faces').where('id', 'in', part).returning('vector_key').execute();
        removed.push(...rows.map((r) => r.vector_key).sort((a, b) => a - b));
      }
      return removed;
    });
  }
}
