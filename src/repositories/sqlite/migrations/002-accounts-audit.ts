import { sql, type Kysely } from 'kysely';
import { createAccountTables } from '../../kysely/migrations/shared-tables.ts';

// Clients, users, API keys, searches and the hash-chained audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createAccountTables(db, 'real');

  await sql`CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    client TEXT,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  )`.execute(db);
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  // Append-only in the database itself, not only in the code that writes it: editing an entry
  // takes dropping these triggers first, and the hash chain still shows the edit.
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
}
