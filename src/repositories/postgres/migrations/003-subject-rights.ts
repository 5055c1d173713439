import { sql, type Kysely } from 'kysely';

// Subject requests, the suppression list and the erasure ledger, as on SQLite (its migration 004).
// Templates are float32 bytes (bytea), as SQLite's BLOBs, so both stores share their mappers.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The selfie is never kept: only its template, dropped once the request is closed.
  await sql`CREATE TABLE subject_requests (
    id text PRIMARY KEY,
    kind text NOT NULL,
    contact text NOT NULL,
    status text NOT NULL,
    received_at text NOT NULL,
    due_at text NOT NULL,
    original_due_at text NOT NULL,
    extension text,
    verification text NOT NULL,
    decision text,
    matches text,
    threshold double precision,
    exclusions text NOT NULL,
    completed_at text,
    model_id text NOT NULL,
    token_hash text NOT NULL,
    template bytea
  )`.execute(db);
  await db.schema.createIndex('subject_requests_status_due').on('subject_requests').columns(['status', 'due_at']).execute();

  // Identity columns, never reused, as SQLite's AUTOINCREMENT: the order entries were recorded in.
  await sql`CREATE TABLE suppression_entries (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    request_id text,
    model_id text NOT NULL,
    template bytea NOT NULL,
    created_at text NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE erasure_ledger (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    at text NOT NULL,
    actor text NOT NULL,
    reason text NOT NULL,
    request_id text,
    face_ids text NOT NULL,
    image_sha256 text NOT NULL
  )`.execute(db);
}
