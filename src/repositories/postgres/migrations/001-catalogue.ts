import { sql, type Kysely, type Migration } from 'kysely';
import { createFaceIndexes, createGalleriesAndSources, imagesTable } from '../../kysely/migrations/shared-tables.ts';

// Galleries, sources, images and faces with their embeddings: the store of record. The same
// tables and columns as SQLite's (timestamps and JSON as text, so both stores share their row
// mappers), except that the embedding is a column of faces rather than a table of its own.
export const catalogue = (dimension: number): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);

    await createGalleriesAndSources(db);
    // The policy decision that let the image in (SQLite's migration 003).
    await imagesTable(db).addColumn('policy_decision', 'text').execute();

    // A sequence, never reset: a vector key is never reused, so a stale index entry can never
    // point at a different face than the one it was built from. shardFaces() hands keys out from
    // a sequence of this name on the coordinator when the faces are spread over shards.
    // toast_tuple_target: a 512-d f32 embedding (2 KB) stays in the row instead of going to TOAST,
    // which docs/scaling.md measured at 20% less space per face.
    await sql`CREATE SEQUENCE faces_vector_key_seq AS bigint`.execute(db);
    await sql`CREATE TABLE faces (
      vector_key bigint PRIMARY KEY DEFAULT nextval('faces_vector_key_seq'),
      id text NOT NULL UNIQUE,
      image_id text NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      gallery_id text NOT NULL REFERENCES galleries(id),
      box text NOT NULL,
      landmarks text NOT NULL,
      quality text NOT NULL,
      model_id text NOT NULL,
      expires_at text NOT NULL,
      status text NOT NULL,
      created_at text NOT NULL,
      embedding vector(${sql.lit(dimension)}) NOT NULL
    ) WITH (toast_tuple_target = 8160)`.execute(db);
    await sql`ALTER SEQUENCE faces_vector_key_seq OWNED BY faces.vector_key`.execute(db);
    await createFaceIndexes(db);
    // Search walks an index of the half-precision cast: half the memory of f32, the f32 column
    // stays the store of record (rebuilds, exact re-ranking, exports).
    await sql`CREATE INDEX faces_embedding_hnsw ON faces
      USING hnsw ((embedding::halfvec(${sql.lit(dimension)})) halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)`.execute(db);
  },
});
