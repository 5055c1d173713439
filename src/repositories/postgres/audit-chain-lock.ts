import { sql, type Kysely } from 'kysely';
import type { Database } from '../kysely/schema.ts';

// The key of the advisory lock that orders audit appends (advisory locks are per database, so
// one constant serves every store). An advisory lock, not LOCK TABLE audit_log: that would need
// UPDATE or DELETE rights on the table, which a hardened deployment takes from the store's role.
const AUDIT_CHAIN_LOCK = 0x6c696b65; // "like"

/**
 * A transaction that first takes the audit chain's lock, held until it commits or rolls back:
 * no other process reads the chain's last hash between this one's read and its append. In READ
 * COMMITTED, every statement after the lock sees what the previous holder committed.
 */
export const auditChainTransaction = (db: Kysely<Database>) => <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
  db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK)})`.execute(trx);
    return work(trx);
  });
