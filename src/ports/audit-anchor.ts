import type { AuditEntry } from '../domain/accounts.ts';

/** A link of the audit chain vouched for outside the store: its sequence number and hash. */
export interface AnchoredLink {
  seq: number;
  hash: string;
}

/**
 * Where the audit chain's head is written as entries commit, outside the store's file, so that
 * a store rolled back or cut short no longer matches it (docs/architecture.md, "Audit log").
 */
export interface AuditAnchor {
  /** Called once an entry has committed; must not throw (the entry is already durable). */
  committed(entry: AuditEntry): void;
  /** Every link ever anchored, latest hash per sequence number. */
  links(): Promise<Map<number, string>>;
}
