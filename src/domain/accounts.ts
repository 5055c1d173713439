// Who may use likeness, and the trace they leave: docs/architecture.md, "Domain model" (Client, User, API key, Search, Audit entry).

export const CLIENT_TYPES = ['law-enforcement', 'government', 'ngo', 'private'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

// operator, dpo and admin are the controller's roles (docs/architecture.md, "Authorisation"):
// admin manages clients, grants, users and keys over HTTP.
export const ROLES = ['operator', 'investigator', 'supervisor', 'auditor', 'dpo', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Client {
  id: string;
  name: string;
  type: ClientType;
  jurisdiction: string;
  createdAt: string;
}

export interface User {
  id: string;
  name: string;
  clientId: string;
  roles: Role[];
  createdAt: string;
  /** Set while an admin has disabled the user: none of their keys authenticates. */
  disabledAt?: string;
}

export interface ApiKeyRecord {
  /** Public part of the key, shown in logs and used to revoke it. */
  prefix: string;
  userId: string;
  /** Hash of the secret part: `sha256$salt$hash` (`scrypt$N$r$p$salt$hash` for keys issued before), hex. */
  hash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** What a person signs in with (docs/architecture.md, "Authentication"); programs use API keys. */
export interface UserCredentials {
  userId: string;
  /** scrypt of the password, as an API key's secret; null until one is set. */
  passwordHash: string | null;
  passwordSetAt: string | null;
  /** The TOTP secret, base32 (a verifier needs it in the clear); null when no second factor is enrolled. */
  totpSecret: string | null;
  totpEnrolledAt: string | null;
  /** The last TOTP step accepted: a code of it or an earlier step is a replay. */
  totpLastStep: number | null;
}

/** A person's signed-in session, as the store keeps it. */
export interface SessionRecord {
  /** SHA-256 of the cookie's token, hex: the token itself is never stored. */
  id: string;
  userId: string;
  createdAt: string;
  /** Moved on as the session is used; the session ends after an idle time past it. */
  lastSeenAt: string;
  /** The absolute end, however active the session is. */
  expiresAt: string;
  revokedAt: string | null;
}

/** A user as the API sees it once their key or session is checked. */
export interface Principal {
  user: User;
  client: Client;
  /** The API key's prefix, when a program authenticated with a key. */
  keyPrefix?: string;
  /** The session's id (the SHA-256 of its cookie), when a person signed in. */
  sessionId?: string;
}

/** What a search-log row records: a search of galleries, a 1:1 comparison, or a detection of a probe's faces. */
export type SearchKind = 'search' | 'compare' | 'detect';

export interface SearchRecord {
  id: string;
  /** 'search' when left out. */
  kind?: SearchKind;
  userId: string;
  clientId: string;
  caseNumber: string;
  purpose: string;
  galleries: string[];
  probeSha256: string;
  threshold: number;
  results: Array<{ faceId: string; score: number }>;
  at: string;
}

/** The part of an audit entry that its hash covers, besides the previous hash. */
export interface AuditFields {
  seq: number;
  at: string;
  /** User id, or `local:<os user>` for commands run on the server itself, or `anonymous`. */
  actor: string;
  client: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/** Someone acting on the server itself through the CLI: the controller's own operator, with no client. */
export interface LocalOperator {
  /** `local:<os user>`, as it appears in the audit log. */
  local: string;
}

/** Who a use case acts for: a user of a client (HTTP, web UI) or the local operator (CLI). */
export type Actor = Principal | LocalOperator;

export function isLocalOperator(actor: Actor): actor is LocalOperator {
  return 'local' in actor;
}

/** The actor and client columns of the audit entries an actor causes. */
export function auditIdentity(actor: Actor): { actor: string; client: string | null } {
  return isLocalOperator(actor) ? { actor: actor.local, client: null } : { actor: actor.user.id, client: actor.client.id };
}
