import type { Kysely } from 'kysely';
import type { ImageRecord } from '../../domain/types.ts';
import type { ImageRepository, NewFace } from '../../ports/store.ts';
import type { Database } from './schema.ts';
import { imageFromRow } from './row-mappers.ts';

/** The image queries both stores share; each stores an image's faces with their embeddings its own way. */
export abstract class KyselyImageRepository implements ImageRepository {
  constructor(protected readonly db: Kysely<Database>) {}

  abstract insertWithFaces(image: ImageRecord, faces: NewFace[]): Promise<number[]>;

  async findBySha256(sourceId: string, sha256: string): Promise<ImageRecord | undefined> {
    const row = await this.db.selectFrom('images').selectAll()
      .where('source_id', '=', sourceId).where('sha256', '=', sha256).executeTakeFirst();
    return row && imageFromRow(row);
  }

  async count(): Promise<number> {
    const { n } = await this.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  }
}
