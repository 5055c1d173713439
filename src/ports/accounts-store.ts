import type { ApiKeyRecord, AuditEntry, Client, SearchKind, SearchRecord, SessionRecord, User, UserCredentials } from '../domain/accounts.ts';

export interface ClientRepository {
  create(client: Client): Promise<void>;
  findByName(name: string): Promise<Client | undefined>;
  findById(id: string): Promise<Client | undefined>;
  list(): Promise<Client[]>;
  grantGallery(clientId: string, galleryId: string, at: string): Promise<void>;
  grantedGalleryIds(clientId: string): Promise<string[]>;
  /** Withdraws a grant; false when the client did not hold it. */
  revokeGallery(clientId: string, galleryId: string): Promise<boolean>;
}

/** Which users to list: by name, after `after` (the last name of the page before), at most `limit`. */
export interface UserListQuery {
  clientId?: string;
  after?: string;
  limit: number;
}

export interface UserRepository {
  create(user: User): Promise<void>;
  findByName(name: string): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  listByClient(clientId: string): Promise<User[]>;
  list(query: UserListQuery): Promise<User[]>;
  setRoles(id: string, roles: User['roles']): Promise<void>;
  /** Disables the user from `at`, or enables them again with null. */
  setDisabled(id: string, at: string | null): Promise<void>;
  /** Whether a search, watch or lead review names the user as its author: such a user is kept, to be disabled. */
  hasRecords(id: string): Promise<boolean>;
  /** Removes the user and their keys. */
  delete(id: string): Promise<void>;
}

/** Which keys to list: of one user, or whose prefix starts so; newest first, at most `limit`. */
export interface KeyListQuery {
  userId?: string;
  prefix?: string;
  limit: number;
}

export interface ApiKeyRepository {
  create(key: ApiKeyRecord): Promise<void>;
  findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
  /** Marks a key revoked; false when there is no such key or it was already revoked. */
  revoke(prefix: string, at: string): Promise<boolean>;
  list(query: KeyListQuery): Promise<ApiKeyRecord[]>;
}

/** A person's password, TOTP secret and recovery codes (docs/architecture.md, "Authentication"). */
export interface CredentialRepository {
  find(userId: string): Promise<UserCredentials | undefined>;
  setPassword(userId: string, hash: string, at: string): Promise<void>;
  /** Sets (or, with null, removes) the TOTP secret; the last used step is forgotten with the old secret. */
  setTotp(userId: string, secretBase32: string | null, at: string): Promise<void>;
  /** Records a step as used; false when it, or a later one, already was (a replay, or a race lost). */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Replaces every recovery code of the user (stored as hashes) with these. */
  replaceRecoveryCodes(userId: string, hashes: readonly string[], at: string): Promise<void>;
  unusedRecoveryCodes(userId: string): Promise<string[]>;
  /** Marks a code used; false when it was already, or is not the user's. */
  useRecoveryCode(userId: string, hash: string, at: string): Promise<boolean>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  find(id: string): Promise<SessionRecord | undefined>;
  /** Moves the session's last use on. */
  touch(id: string, at: string): Promise<void>;
  /** False when there is no such session or it was already revoked. */
  revoke(id: string, at: string): Promise<boolean>;
  /** Revokes every open session of the user; how many. */
  revokeForUser(userId: string, at: string): Promise<number>;
  /** Deletes the sessions whose absolute end is before `cutoff`, ended or not; how many. */
  deleteEndedBefore(cutoff: string): Promise<number>;
}

/**
 * Which searches of a client to list: `from` and `to` bound `at` as [from, to). `before` pages on,
 * newest first; with `beforeId` (the last search of the page before) the searches made at that very
 * instant with a later id come next, so searches sharing a time are not skipped at a page's edge.
 */
export interface SearchListQuery {
  limit: number;
  before?: string;
  beforeId?: string;
  userId?: string;
  caseNumber?: string;
  from?: string;
  to?: string;
}

/** Which audit entries to list: `from` and `to` bound `at` as [from, to); `beforeSeq` pages on. */
export interface AuditListQuery {
  client?: string;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit: number;
  beforeSeq?: number;
}

export interface SearchLogRepository {
  create(search: SearchRecord): Promise<void>;
  /**
   * Fills in the threshold and results of a search recorded when it was admitted, before it ran,
   * and its probe's SHA-256 when only the search could tell it (a pivot's stored face).
   */
  complete(id: string, outcome: { threshold: number; results: SearchRecord['results']; probeSha256?: string }): Promise<void>;
  /** Searches (not comparisons or detections), newest first, filtered. */
  listByClient(clientId: string, options: SearchListQuery): Promise<SearchRecord[]>;
  /** Rows of one kind ('search' when left out) since a moment. */
  countSince(who: { userId: string } | { clientId: string }, since: string, kind?: SearchKind): Promise<number>;
  /** Time of the n-th most recent row of a kind (1 = latest) since a moment, to tell when a window frees up. */
  nthLatestAt(who: { userId: string } | { clientId: string }, n: number, since: string, kind?: SearchKind): Promise<string | undefined>;
}

export interface AuditRepository {
  last(): Promise<AuditEntry | undefined>;
  append(entry: AuditEntry): Promise<void>;
  /** Entries in sequence order, in batches, optionally within [from, to) of `at`. */
  stream(options?: { from?: string; to?: string; batchSize?: number }): AsyncIterable<AuditEntry[]>;
  /** Newest first, filtered. */
  list(options: AuditListQuery): Promise<AuditEntry[]>;
}

export interface AccountsRepositories {
  readonly clients: ClientRepository;
  readonly users: UserRepository;
  readonly keys: ApiKeyRepository;
  readonly credentials: CredentialRepository;
  readonly sessions: SessionRepository;
  readonly searches: SearchLogRepository;
  readonly audit: AuditRepository;
}

/** The accounts' tables; `Store.transaction` makes several of their writes one unit. */
export type AccountsStore = AccountsRepositories;
