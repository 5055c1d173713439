import { sql, type Kysely } from 'kysely';
import { LikenessError } from '../../errors.ts';
import { TABLES_THAT_LOSE_ROWS } from './schema.ts';


export interface PhysicalErasureTimes {
  /** VACUUM FULL: each table rewritten under an ACCESS EXCLUSIVE lock, its indexes (HNSW too) rebuilt. */
  rewriteMs: number;
  /** pg_switch_wal() and CHECKPOINT: the segments that held the old rows are deleted. */
  walMs: number;
}

/**
 * Makes the bytes of deleted rows leave every file of the data directory, as measured by
 * src/repositories/postgres/physical-erasure.pgtest.ts:
 * - a plain VACUUM prunes dead rows but leaves their bytes in the page's free space (a row at the
 *   low end of its page stays whole), so the tables are rewritten (VACUUM FULL), which also
 *   rebuilds their indexes; the old files are emptied at commit and unlinked at the checkpoint;
 * - the WAL holds the rows as inserted (and any page image): the current segment is closed
 *   (pg_switch_wal) and a CHECKPOINT deletes the segments before it, which it unlinks only with
 *   `wal_recycle = off` (otherwise they are renamed for reuse, old bytes and all).
 */
export async function erasePhysically<DB>(db: Kysely<DB>): Promise<PhysicalErasureTimes> {
  await requirePhysicalErasure(db);
  const started = performance.now();
  await sql`VACUUM (FULL) ${sql.join(TABLES_THAT_LOSE_ROWS.map((t) => sql.table(t)))}`.execute(db);
  const rewritten = performance.now();
  await sql`SELECT pg_switch_wal()`.execute(db);
  await sql`CHECKPOINT`.execute(db);
  return { rewriteMs: rewritten - started, walMs: performance.now() - rewritten };
}

/**
 * Refuses up front what would leave the bytes behind, naming the setting or grant to change: before
 * an erasure, and when a command that writes starts (docs/architecture.md, "Erasure"), so a server
 * that cannot erase is found before it collects a face, not after one was deleted and ledgered.
 */
export async function requirePhysicalErasure<DB>(db: Kysely<DB>): Promise<void> {
  const { rows: [facts] } = await sql<{ wal_recycle: string; can_switch: boolean; can_checkpoint: boolean }>`
    SELECT current_setting('wal_recycle') AS wal_recycle,
           has_function_privilege('pg_switch_wal()', 'EXECUTE') AS can_switch,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role('pg_checkpoint', 'MEMBER') AS can_checkpoint`.execute(db);
  const missing: string[] = [];
  if (facts?.wal_recycle !== 'off') missing.push('set wal_recycle = off in postgresql.conf (recycled WAL segments keep the old bytes)');
  if (!facts?.can_switch) missing.push('GRANT EXECUTE ON FUNCTION pg_switch_wal() TO the store\'s role');
  if (!facts?.can_checkpoint) missing.push('GRANT pg_checkpoint TO the store\'s role');
  if (missing.length > 0) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID',
      `PostgreSQL cannot erase deleted faces physically: ${missing.join('; ')} (see docs/scaling.md, "Physical erasure on PostgreSQL")`,
      { details: { missing } });
  }
}
