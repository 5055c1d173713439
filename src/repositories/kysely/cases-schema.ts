import type { Database } from './schema.ts';

// Case work (SQLite migration 005, PostgreSQL 005) beside the core schema. Templates are float32
// bytes, as the suppression list's.
export interface LeadReviewsTable { id: string; search_id: string; face_id: string; client_id: string; user_id: string; disposition: string; reason: string; at: string }

export interface WatchesTable {
  id: string;
  client_id: string;
  user_id: string;
  case_number: string;
  purpose: string;
  status: string;
  threshold: number;
  probe_sha256: string;
  webhook_url: string | null;
  secret: string;
  created_at: string;
  expires_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface WatchProbesTable { watch_id: string; seq: number; model_id: string; template: Buffer }

export interface WatchHitsTable { id: string; watch_id: string; face_id: string; score: number; false_match_rate: number; provenance: string; at: string }

export interface WatchOutboxTable {
  id: string;
  hit_id: string;
  watch_id: string;
  url: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
}

export interface CasesDatabase extends Database {
  lead_reviews: LeadReviewsTable;
  watches: WatchesTable;
  watch_probes: WatchProbesTable;
  watch_hits: WatchHitsTable;
  watch_outbox: WatchOutboxTable;
}
