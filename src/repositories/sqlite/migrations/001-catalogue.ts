import { sql, type Kysely } from 'kysely';
import { createFaceIndexes, createGalleriesAndSources, imagesTable } from '../../kysely/migrations/shared-tables.ts';

// Galleries, sources, images, faces and their embeddings: the store of record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createGalleriesAndSources(db);
  await imagesTable(db).execute();

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
  await createFaceIndexes(db);

  await sql`CREATE TABLE face_embeddings (
    vector_key INTEGER PRIMARY KEY REFERENCES faces(vector_key) ON DELETE CASCADE,
    vector BLOB NOT NULL
  )`.execute(db);
}
