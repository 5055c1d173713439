import type { Kysely } from 'kysely';
import type { ImageRecord } from '../../domain/types.ts';
import type { NewFace } from '../../ports/store.ts';
import type { Database } from '../kysely/schema.ts';
import { KyselyImageRepository } from '../kysely/image-repository.ts';
import { atomic } from '../kysely/atomic.ts';
import { embeddingToBlob, faceToRow, imageToRow } from '../kysely/row-mappers.ts';
import type { EmbeddingsDatabase } from './embeddings-schema.ts';

export class SqliteImageRepository extends KyselyImageRepository {
  private readonly withEmbeddings: Kysely<Database & EmbeddingsDatabase>;

  constructor(db: Kysely<Database>) {
    super(db);
    this.withEmbeddings = db.withTables<EmbeddingsDatabase>();
  }

  async insertWithFaces(image: ImageRecord, faces: NewFace[]): Promise<number[]> {
    return atomic(this.withEmbeddings, async (trx) => {
      await trx.insertInto('images').values(imageToRow(image)).execute();
      const keys: number[] = [];
      for (const f of faces) {
        const { vector_key } = await trx.insertInto('faces').values(faceToRow(f)).returning('vector_key').executeTakeFirstOrThrow();
        await trx.insertInto('face_embeddings').values({ vector_key, vector: embeddingToBlob(f.embedding) }).execute();
        keys.push(vector_key);
      }
      return keys;
    });
  }
}
