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

/** Bytes: SQLite's BLOB, PostgreSQL's bytea. */
export type BytesType = 'blob' | 'bytea';

/**
 * Case work (docs/architecture.md, "Case work"): reviews of a search's candidates, standing
 * searches (watches) with their probes' templates, their hits, and the outbox their alerts leave
 * from. Face ids carry no foreign key, as in search_results: a hit stays on record after its face
 * is erased. Images get indexes on their URLs, for takedown by page or image.
 */
export async function createCaseworkTables(db: Kysely<unknown>, double: DoubleType, bytes: BytesType): Promise<void> {
  await db.schema.createTable('lead_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_id', 'text', (c) => c.notNull().references('searches.id'))
    .addColumn('face_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lead_reviews_search').on('lead_reviews').columns(['search_id', 'at']).execute();
  await db.schema.createIndex('searches_client_case').on('searches').columns(['client_id', 'case_number']).execute();

  await db.schema.createTable('watches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('threshold', double, (c) => c.notNull())
    .addColumn('probe_sha256', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .execute();
  await db.schema.createIndex('watches_status_expires').on('watches').columns(['status', 'expires_at']).execute();
  await db.schema.createIndex('watches_client_case').on('watches').columns(['client_id', 'case_number']).execute();

  // The probes' templates, never their pixels: what an ingested face is compared with.
  await db.schema.createTable('watch_probes')
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('template', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_probes_pk', ['watch_id', 'seq'])
    .execute();

  await db.schema.createTable('watch_hits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id'))
    .addColumn('face_id', 'text', (c) => c.notNull())
    .addColumn('score', double, (c) => c.notNull())
    .addColumn('false_match_rate', double, (c) => c.notNull())
    .addColumn('provenance', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watch_hits_watch').on('watch_hits').columns(['watch_id', 'at']).execute();

  await db.schema.createTable('watch_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hit_id', 'text', (c) => c.notNull().references('watch_hits.id'))
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('watch_outbox_due').on('watch_outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema.createIndex('images_page_url').on('images').column('page_url').execute();
  await db.schema.createIndex('images_url').on('images').column('url').execute();
}

/**
 * People's credentials and sessions (docs/architecture.md, "Authentication"): one row of password
 * hash and TOTP secret per user, their recovery codes as hashes, and sessions by the SHA-256 of
 * their cookie. Programs keep using api_keys.
 */
export async function createCredentialTables(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('user_credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('password_hash', 'text')
    .addColumn('password_set_at', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enrolled_at', 'text')
    .addColumn('totp_last_step', 'integer')
    .execute();

  await db.schema.createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'hash'])
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
}
