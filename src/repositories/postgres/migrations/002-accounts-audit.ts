import { sql, type Kysely } from 'kysely';
import { createAccountTables } from '../../kysely/migrations/shared-tables.ts';

// Clients, users, API keys, searches and the hash-chained audit log, as on SQLite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createAccountTables(db, 'double precision');

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
