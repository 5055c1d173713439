import { sql, type Kysely, type Migration } from 'kysely';

// Galleries, sources, images and faces with their embeddings: the store of record. The same
// tables and columns as SQLite's (timestamps and JSON as text, so both stores share their row
// mappers), except that the embedding is a column of faces rather than a table of its own.
export const catalogue = (dimension: number): Migration => ({
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);

    await db.schema.createTable('galleries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createTable('sources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('gallery_id', 'text', (c) => c.notNull().references('galleries.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('special_category_condition', 'text')
      .addColumn('jurisdictions', 'text', (c) => c.notNull())
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('controller', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createTable('images')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('perceptual_hash', 'text', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('url', 'text')
      .addColumn('page_url', 'text')
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      // The policy decision that let the image in (SQLite's migration 003).
      .addColumn('policy_decision', 'text')
      .addUniqueConstraint('images_source_sha256', ['source_id', 'sha256'])
      .execute();

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
    await db.schema.createIndex('faces_gallery_status').on('faces').columns(['gallery_id', 'status']).execute();
    await db.schema.createIndex('faces_image').on('faces').column('image_id').execute();
    await db.schema.createIndex('faces_expires').on('faces').column('expires_at').execute();
    // Search walks an index of the half-precision cast: half the memory of f32, the f32 column
    // stays the store of record (rebuilds, exact re-ranking, exports).
    await sql`CREATE INDEX faces_embedding_hnsw ON faces
      USING hnsw ((embedding::halfvec(${sql.lit(dimension)})) halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)`.execute(db);
  },
});
