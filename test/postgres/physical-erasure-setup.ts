import pg from 'pg';

/**
 * What docs/scaling.md ("Physical erasure on PostgreSQL") asks an operator to set, done on a test
 * cluster: WAL segments unlinked rather than recycled, and the store's role allowed to close the
 * current segment (a grant on a function holds in one database: the store's). ALTER SYSTEM lasts as
 * long as the throwaway cluster, and other tests lose nothing by it.
 */
export async function allowPhysicalErasure(adminUrl: string, storeUrl: string): Promise<void> {
  const inStoreDatabase = new URL(adminUrl);
  inStoreDatabase.pathname = new URL(storeUrl).pathname;
  const admin = new pg.Client({ connectionString: inStoreDatabase.toString() });
  await admin.connect();
  try {
    await admin.query('ALTER SYSTEM SET wal_recycle = off');
    await admin.query('SELECT pg_reload_conf()');
    await admin.query(`GRANT EXECUTE ON FUNCTION pg_switch_wal() TO ${pg.escapeIdentifier(decodeURIComponent(new URL(storeUrl).username))}`);
  } finally {
    await admin.end();
  }
  // The reload reaches each server process (the checkpointer too) a moment later.
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = new pg.Client({ connectionString: storeUrl });
    await probe.connect();
    try {
      if ((await probe.query<{ wal_recycle: string }>('SHOW wal_recycle')).rows[0]?.wal_recycle === 'off') break;
    } finally {
      await probe.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
}
