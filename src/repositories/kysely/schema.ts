import type { Generated } from 'kysely';

// The tables both stores share, as the row mappers see them: timestamps and JSON are text on
// SQLite and PostgreSQL alike, so the same Kysely code reads and writes them. Where the embedding
// lives is up to each store (SQLite: face_embeddings; PostgreSQL: a vector column of faces), so
// it is not here.
export interface GalleriesTable { id: string; name: string; created_at: string }

export interface SourcesTable {
  id: string;
  name: string;
  gallery_id: string;
  kind: string;
  uri: string;
  legal_basis: string;
  special_category_condition: string | null;
  jurisdictions: string;
  retention_days: number;
  controller: string | null;
  status: string;
  created_at: string;
}

export interface ImagesTable {
  id: string;
  source_id: string;
  sha256: string;
  perceptual_hash: string;
  path: string | null;
  url: string | null;
  page_url: string | null;
  width: number;
  height: number;
  collected_at: string;
  policy_decision: string | null;
}

export interface FacesTable {
  vector_key: Generated<number>;
  id: string;
  image_id: string;
  gallery_id: string;
  box: string;
  landmarks: string;
  quality: string;
  model_id: string;
  expires_at: string;
  status: string;
  created_at: string;
}

// Accounts, searches and the audit chain (migration 002).
export interface ClientsTable { id: string; name: string; type: string; jurisdiction: string; created_at: string }
export interface ClientGalleriesTable { client_id: string; gallery_id: string; granted_at: string }
export interface UsersTable { id: string; name: string; client_id: string; roles: string; created_at: string; disabled_at: string | null }
export interface ApiKeysTable { prefix: string; user_id: string; hash: string; created_at: string; expires_at: string; revoked_at: string | null }

// People's credentials and sessions (SQLite migration 008, PostgreSQL 007).
export interface UserCredentialsTable {
  user_id: string;
  password_hash: string | null;
  password_set_at: string | null;
  totp_secret: string | null;
  totp_enrolled_at: string | null;
  totp_last_step: number | null;
}
export interface RecoveryCodesTable { user_id: string; hash: string; created_at: string; used_at: string | null }
export interface SessionsTable { id: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; revoked_at: string | null }

export interface SearchesTable {
  id: string;
  user_id: string;
  client_id: string;
  case_number: string;
  purpose: string;
  galleries: string;
  probe_sha256: string;
  threshold: number;
  results: string;
  at: string;
  /** search, compare or detect: each is counted against the limits of its own kind. */
  kind: Generated<string>;
}

export interface SearchResultsTable { search_id: string; face_id: string; score: number }

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  client: string | null;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface Database {
  clients: ClientsTable;
  client_galleries: ClientGalleriesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  user_credentials: UserCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  searches: SearchesTable;
  search_results: SearchResultsTable;
  audit_log: AuditLogTable;
  galleries: GalleriesTable;
  sources: SourcesTable;
  images: ImagesTable;
  faces: FacesTable;
}
