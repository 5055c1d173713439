import { sql, type Kysely } from 'kysely';

// Subject requests, the suppression list and the erasure ledger.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The selfie is never kept: only its template, dropped once the request is closed.
  await sql`CREATE TABLE subject_requests (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    contact TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    original_due_at TEXT NOT NULL,
    extension TEXT,
    verification TEXT NOT NULL,
    decision TEXT,
    matches TEXT,
    threshold REAL,
    exclusions TEXT NOT NULL,
    completed_at TEXT,
    model_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    template BLOB
  )`.execute(db);
  await db.schema.createIndex('subject_requests_status_due').on('subject_requests').columns(['status', 'due_at']).execute();

  await sql`CREATE TABLE suppression_entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    request_id TEXT,
    model_id TEXT NOT NULL,
    template BLOB NOT NULL,
    created_at TEXT NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE erasure_ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    request_id TEXT,
    face_ids TEXT NOT NULL,
    image_sha256 TEXT NOT NULL
  )`.execute(db);
}
