// Where PostgreSQL tests (*.pgtest.ts) find their clusters. `npm run test:postgres` starts throwaway
// clusters and sets these; set them yourself to run the same tests against clusters of your own.
//
//   LIKENESS_TEST_POSTGRES_URL         one node: postgres://likeness:PW@127.0.0.1:PORT/likeness
//   LIKENESS_TEST_POSTGRES_SHARDS      comma-separated URLs, coordinator first, then one per shard
//                                      (the coordinator is the node of LIKENESS_TEST_POSTGRES_URL)
//   LIKENESS_TEST_POSTGRES_ADMIN_URL   the superuser on the node of LIKENESS_TEST_POSTGRES_URL
//   LIKENESS_TEST_POSTGRES_SHARDS_ADMIN_URLS  the superuser on each node of LIKENESS_TEST_POSTGRES_SHARDS
//   LIKENESS_TEST_POSTGRES_DATA_DIR    that node's data directory (to look at the bytes on disk)
//
// The role of the URLs owns its database, may create databases (CREATEDB) and CHECKPOINT
// (pg_checkpoint), and every database created on these clusters has the extensions vector and
// postgres_fdw. Use freshDatabase() (fresh-database.ts) to work in a database of your own.

export const POSTGRES_URL_ENV = 'LIKENESS_TEST_POSTGRES_URL';
export const POSTGRES_SHARDS_ENV = 'LIKENESS_TEST_POSTGRES_SHARDS';
export const POSTGRES_ADMIN_URL_ENV = 'LIKENESS_TEST_POSTGRES_ADMIN_URL';
export const POSTGRES_DATA_DIR_ENV = 'LIKENESS_TEST_POSTGRES_DATA_DIR';
export const POSTGRES_SHARDS_ADMIN_ENV = 'LIKENESS_TEST_POSTGRES_SHARDS_ADMIN_URLS';

export function testPostgresUrl(): string | undefined {
  return process.env[POSTGRES_URL_ENV] || undefined;
}

/** Coordinator first, then the shards; empty when no sharded clusters were given. */
export function testPostgresShards(): string[] {
  return (process.env[POSTGRES_SHARDS_ENV] ?? '').split(',').map((url) => url.trim()).filter(Boolean);
}

/** The superuser URLs of the nodes of testPostgresShards(), same order; empty when not given. */
export function testPostgresShardAdmins(): string[] {
  return (process.env[POSTGRES_SHARDS_ADMIN_ENV] ?? '').split(',').map((url) => url.trim()).filter(Boolean);
}
