import { sql, type Kysely } from 'kysely';

// Clients, users, API keys, searches and the hash-chained audit log, as on SQLite.
export async function up(db: Kysely<unknown>): Promise<void> {
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
  // double precision, not real: PostgreSQL's real is 4 bytes, SQLite's 8.
  await db.schema.createTable('searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('galleries', 'text', (c) => c.notNull())
    .addColumn('probe_sha256', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('searches_user_at').on('searches').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('searches_client_at').on('searches').columns(['client_id', 'at']).execute();

  await db.schema.createTable('search_results')
    .addColumn('search_id', 'text', (c) => c.notNull().references('searches.id'))
    .addColumn('face_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_results_face').on('search_results').column('face_id').execute();

  // seq is given by the code that chains the entries, not by a sequence.
  await sql`CREATE TABLE audit_log (
    seq bigint PRIMARY KEY,
    at text NOT NULL,
    actor text NOT NULL,
    client text,
    action text NOT NULL,
    target text,
    details text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
  )`.execute(db);
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  // Append-only in the database itself, not only in the code that writes it: editing an entry
  // takes dropping these triggers first, and the hash chain still shows the edit. TRUNCATE fires
  // no DELETE trigger, so it has one of its own.
  await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
}
