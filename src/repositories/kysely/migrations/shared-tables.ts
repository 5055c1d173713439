import type { CreateTableBuilder, Kysely } from 'kysely';

// Tables whose DDL is the same on SQLite and PostgreSQL, built with Kysely's schema builder so that
// each dialect renders it. What differs (faces and their embeddings, the audit log and its
// triggers) stays in each store's own migrations.

/** 8-byte floats: SQLite's `real` is one, PostgreSQL's `real` is 4 bytes. */
export type DoubleType = 'real' | 'double precision';

export async function createGalleriesAndSources(db: Kysely<unknown>): Promise<void> {
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
}

/** The images table as first created; a store may add columns before executing it. */
export function imagesTable(db: Kysely<unknown>): CreateTableBuilder<'images'> {
  return db.schema.createTable('images')
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
    .addUniqueConstraint('images_source_sha256', ['source_id', 'sha256']);
}

export async function createFaceIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('faces_gallery_status').on('faces').columns(['gallery_id', 'status']).execute();
  await db.schema.createIndex('faces_image').on('faces').column('image_id').execute();
  await db.schema.createIndex('faces_expires').on('faces').column('expires_at').execute();
}

/** Clients, their gallery grants, users, API keys, and the searches with their results. */
export async function createAccountTables(db: Kysely<unknown>, double: DoubleType): Promise<void> {
  await db.schema.createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('client_galleries')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('gallery_id', 'text', (c) => c.notNull().references('galleries.id'))
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_galleries_pk', ['client_id', 'gallery_id'])
    .execute();

  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('api_keys')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute();

  // Face ids carry no foreign key: a search stays on record after the faces it returned are erased,
  // so a subject's access report can still name who received their face.
  await db.schema.createTable('searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('galleries', 'text', (c) => c.notNull())
    .addColumn('probe_sha256', 'text', (c) => c.notNull())
    .addColumn('threshold', double, (c) => c.notNull())
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('searches_user_at').on('searches').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('searches_client_at').on('searches').columns(['client_id', 'at']).execute();

  await db.schema.createTable('search_results')
    .addColumn('search_id', 'text', (c) => c.notNull().references('searches.id'))
    .addColumn('face_id', 'text', (c) => c.notNull())
    .addColumn('score', double, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_results_face').on('search_results').column('face_id').execute();
}
