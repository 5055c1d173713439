import { createHash } from 'node:crypto';
import type { AuditEntry, AuditFields } from '../../domain/accounts.ts';
import { canonicalJson } from './canonical-json.ts';

/** The previous hash of the first entry: the chain starts from nothing known. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prevHash || canonical JSON of the entry's fields), hex. */
export function entryHash(prevHash: string, fields: AuditFields): string {
  const { seq, at, actor, client, action, target, details } = fields;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ seq, at, actor, client, action, target, details }))
    .digest('hex');
}

export function chain(previous: AuditEntry | undefined, fields: Omit<AuditFields, 'seq'>): AuditEntry {
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const withSeq: AuditFields = { ...fields, seq: (previous?.seq ?? 0) + 1 };
  return { ...withSeq, prevHash, hash: entryHash(prevHash, withSeq) };
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Checks one entry against the one before it (undefined for the first); returns what is wrong, if anything. */
export function checkLink(previous: AuditEntry | undefined, entry: AuditEntry): ChainBreak | undefined {
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (entry.seq !== expectedSeq) return { seq: entry.seq, reason: `sequence jumps from ${expectedSeq - 1} to ${entry.seq}: entries are missing` };
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (entry.prevHash !== expectedPrev) return { seq: entry.seq, reason: 'its previous hash does not match the entry before it' };
  if (entry.hash !== entryHash(entry.prevHash, entry)) return { seq: entry.seq, reason: 'its content does not match its hash: the entry was altered' };
  return undefined;
}
