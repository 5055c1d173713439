import { sql, type Kysely } from 'kysely';

// Galleries, sources, images, faces and their embeddings: the store of record.
export async function up(db: Kysely<unknown>): Promise<void> {
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
    .addUniqueConstraint('images_source_sha256', ['source_id', 'sha256'])
    .execute();

  // AUTOINCREMENT: a vector key is never reused, so a stale index entry can never
  // point at a different face than the one it was built from.
  await sql`CREATE TABLE faces (
    vector_key INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    gallery_id TEXT NOT NULL REFERENCES galleries(id),
    box TEXT NOT NULL,
    landmarks TEXT NOT NULL,
    quality TEXT NOT NULL,
    model_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`.execute(db);
  await db.schema.createIndex('faces_gallery_status').on('faces').columns(['gallery_id', 'status']).execute();
  await db.schema.createIndex('faces_image').on('faces').column('image_id').execute();
  await db.schema.createIndex('faces_expires').on('faces').column('expires_at').execute();

  await sql`CREATE TABLE face_embeddings (
    vector_key INTEGER PRIMARY KEY REFERENCES faces(vector_key) ON DELETE CASCADE,
    vector BLOB NOT NULL
  )`.execute(db);
}
