import { Kysely, PostgresDialect, sql } from 'kysely';
import { LikenessError } from '../../errors.ts';
import { describeUrl, openPool, typedConnectErrors } from './connection-pool.ts';
import { rebuildAside, type RebuildAsideOptions, type RebuildAsideTimes } from './rebuild-aside.ts';
import { TABLES_THAT_LOSE_ROWS } from './schema.ts';
import { shardUrls } from './sharding/shard-urls.ts';

/**
 * The tables a search reads (faces for the nearest faces, images for their provenance), with the
 * key of their rows: inserted and deleted, never updated, so they can be rebuilt aside. Images
 * first: its swap re-points the faces' foreign key, which the faces' own rebuild then carries.
 */
const REBUILT_ASIDE = { images: 'id', faces: 'vector_key' } as const;
type RebuiltAside = keyof typeof REBUILT_ASIDE;

export interface PhysicalErasureTimes {
  /** Every table rewritten: faces rebuilt aside and swapped in, the others by VACUUM FULL. */
  rewriteMs: number;
  /** The tables rebuilt aside (not faces where it is partitioned, as on a sharded coordinator). */
  rebuilt: Partial<Record<RebuiltAside, RebuildAsideTimes>>;
  /** pg_switch_wal() and CHECKPOINT: the segments that held the old rows are deleted. */
  walMs: number;
  /** On a coordinator, each shard's own pass, in partition order. */
  shards?: PhysicalErasureTimes[];
}

/**
 * Makes the bytes of deleted rows leave every file of the data directory, as measured by
 * src/repositories/postgres/physical-erasure.pgtest.ts:
 * - a plain VACUUM prunes dead rows but leaves their bytes in the page's free space (a row at the
 *   low end of its page stays whole), so the tables are rewritten with their indexes; the old
 *   files are emptied at commit and unlinked at the checkpoint. `images` and `faces`, which searches
 *   read, are rebuilt aside and swapped in (rebuild-aside.ts), so searches and writes wait only for
 *   the swap; the other tables, off the search path, by VACUUM FULL (docs/scaling.md,
 *   "Compaction and searches");
 * - the WAL holds the rows as inserted (and any page image): the current segment is closed
 *   (pg_switch_wal) and a CHECKPOINT deletes the segments before it, which it unlinks only with
 *   `wal_recycle = off` (otherwise they are renamed for reuse, old bytes and all);
 * - on a coordinator whose faces are spread over shards (sharding/shard-faces.ts), each shard
 *   runs the same pass on its own database first, reached as the coordinator's searches reach it.
 */
export async function erasePhysically<DB>(db: Kysely<DB>, options: RebuildAsideOptions = {}): Promise<PhysicalErasureTimes> {
  return db.connection().execute(async (conn) => {
    await requirePhysicalErasure(conn);
    const shards: PhysicalErasureTimes[] = [];
    for (const url of await shardUrls(conn)) shards.push(await onShard(url, (shard) => erasePhysically(shard, options)));
    const started = performance.now();
    const rebuilt: Partial<Record<RebuiltAside, RebuildAsideTimes>> = {};
    for (const [table, key] of Object.entries(REBUILT_ASIDE) as [RebuiltAside, string][]) {
      // A partitioned faces (a sharded coordinator's, whose partitions are the shards' tables) has
      // no rows of its own here: VACUUM FULL skips its foreign partitions, erased on the shards.
      if (await isPlainTable(conn, table)) rebuilt[table] = await rebuildAside(conn, table, key, options);
    }
    const others = TABLES_THAT_LOSE_ROWS.filter((t) => !(t in rebuilt));
    await sql`VACUUM (FULL) ${sql.join(others.map((t) => sql.table(t)))}`.execute(conn);
    const rewritten = performance.now();
    await sql`SELECT pg_switch_wal()`.execute(conn);
    await sql`CHECKPOINT`.execute(conn);
    return { rewriteMs: rewritten - started, rebuilt, walMs: performance.now() - rewritten, ...(shards.length > 0 ? { shards } : {}) };
  });
}

async function onShard<T>(url: string, work: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: typedConnectErrors(openPool(url), describeUrl(url)) }) });
  try {
    return await work(db);
  } catch (error) {
    if (error instanceof LikenessError) throw new LikenessError(error.code, `on the shard ${describeUrl(url)}: ${error.message}`, { cause: error, ...(error.details ? { details: error.details } : {}) });
    throw error;
  } finally {
    await db.destroy();
  }
}

async function isPlainTable<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  const { rows: [row] } = await sql<{ kind: string }>`SELECT relkind AS kind FROM pg_class WHERE oid = to_regclass(${table})`.execute(db);
  return row?.kind === 'r';
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
