import type { Generated } from 'kysely';
import type { Database } from './schema.ts';

// Subject requests, the suppression list and the erasure ledger (SQLite migration 004, PostgreSQL 003),
// beside the core schema. Templates are float32 bytes: BLOB on SQLite, bytea on PostgreSQL.
export interface SubjectRequestsTable {
  id: string;
  kind: string;
  contact: string;
  status: string;
  received_at: string;
  due_at: string;
  original_due_at: string;
  extension: string | null;
  verification: string;
  decision: string | null;
  matches: string | null;
  threshold: number | null;
  exclusions: string;
  completed_at: string | null;
  model_id: string;
  token_hash: string;
  template: Buffer | null;
}

export interface SuppressionEntriesTable {
  seq: Generated<number>;
  id: string;
  request_id: string | null;
  model_id: string;
  template: Buffer;
  created_at: string;
}

export interface ErasureLedgerTable {
  seq: Generated<number>;
  id: string;
  at: string;
  actor: string;
  reason: string;
  request_id: string | null;
  face_ids: string;
  image_sha256: string;
}

export interface RightsDatabase extends Database {
  subject_requests: SubjectRequestsTable;
  suppression_entries: SuppressionEntriesTable;
  erasure_ledger: ErasureLedgerTable;
}
