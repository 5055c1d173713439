import type { Kysely } from 'kysely';
import type { ImageRecord } from '../../domain/types.ts';
import type { ImageRepository, NewFace } from '../store.ts';
import type { Database } from './schema.ts';
import { embeddingToBlob, imageFromRow, imageToRow } from './row-mappers.ts';

export class SqliteImageRepository implements ImageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findBySha256(sourceId: string, sha256: string): Promise<ImageRecord | undefined> {
    const row = await this.db.selectFrom('images').selectAll()
      .where('source_id', '=', sourceId).where('sha256', '=', sha256).executeTakeFirst();
    return row && imageFromRow(row);
  }

  async insertWithFaces(image: ImageRecord, faces: NewFace[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('images').values(imageToRow(image)).execute();
      const keys: number[] = [];
      for (const f of faces) {
        const { vector_key } = await trx.insertInto('faces').values({
          id: f.id,
          image_id: f.imageId,
          gallery_id: f.galleryId,
          box: JSON.stringify(f.box),
          landmarks: JSON.stringify(f.landmarks),
          quality: JSON.stringify(f.quality),
          model_id: f.modelId,
          expires_at: f.expiresAt,
          status: f.status,
          created_at: f.createdAt,
        }).returning('vector_key').executeTakeFirstOrThrow();
        await trx.insertInto('face_embeddings').values({ vector_key, vector: embeddingToBlob(f.embedding) }).execute();
        keys.push(vector_key);
      }
      return keys;
    });
  }

  async count(): Promise<number> {
    const { n } = await this.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  }
}
