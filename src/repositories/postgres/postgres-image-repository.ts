import type { Kysely } from 'kysely';
import type { ImageRecord } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { NewFace } from '../../ports/store.ts';
import { KyselyImageRepository } from '../kysely/image-repository.ts';
import { faceToRow, imageToRow } from '../kysely/row-mappers.ts';
import type { Database } from '../kysely/schema.ts';
import { atomic } from '../kysely/atomic.ts';
import { withPostgresTables, type PostgresKysely } from './schema.ts';
import { toVectorLiteral } from './vector-literal.ts';

export class PostgresImageRepository extends KyselyImageRepository {
  private readonly pg: PostgresKysely;

  constructor(db: Kysely<Database>, private readonly dimension: number) {
    super(db);
    this.pg = withPostgresTables(db);
  }

  async insertWithFaces(image: ImageRecord, faces: NewFace[]): Promise<number[]> {
    const wrong = faces.find((f) => f.embedding.length !== this.dimension);
    if (wrong) {
      throw new LikenessError('LIKENESS_INDEX_DIMENSION',
        `face ${wrong.id} has a ${wrong.embedding.length}-dimensional embedding; the store holds ${this.dimension}-dimensional ones`);
    }
    return atomic(this.pg, async (trx) => {
      await trx.insertInto('images').values(imageToRow(image)).execute();
      if (faces.length === 0) return [];
      const rows = await trx.insertInto('faces')
        .values(faces.map((f) => ({ ...faceToRow(f), embedding: toVectorLiteral(f.embedding) })))
        .returning(['id', 'vector_key']).execute();
      // RETURNING promises no order: the keys are matched back to the faces by id.
      const keyById = new Map(rows.map((r) => [r.id, r.vector_key]));
      return faces.map((f) => keyById.get(f.id)!);
    });
  }
}
