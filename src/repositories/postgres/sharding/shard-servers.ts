import pg from 'pg';

/**
 * What the coordinator's foreign servers tell postgres_fdw about the shards. A GUC set on the
 * coordinator does not travel through postgres_fdw: the shards' search settings go into the
 * server's libpq `options`, so they hold on every connection the coordinator opens to a shard.
 */
export interface ShardSearchSettings {
  /** hnsw.ef_search on the shards: each shard's index returns at most this many candidates. */
  efSearch: number;
  /**
   * Rows the coordinator fetches from a shard per round trip. PostgreSQL 15 does not push LIMIT
   * through a partitioned table, so each shard streams its candidates in distance order and the
   * coordinator stops after k: a fetch size of k answers a top-k search in one trip per shard.
   */
  fetchSize: number;
}

export const DEFAULT_SHARD_SEARCH: ShardSearchSettings = { efSearch: 100, fetchSize: 10 };

export interface ShardAddress {
  host: string;
  port: string;
  dbname: string;
  user: string;
  password: string;
}

export function shardAddress(url: string): ShardAddress {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: u.port || '5432',
    dbname: decodeURIComponent(u.pathname.replace(/^\//, '')),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/**
 * The shard plans the coordinator's cursor: without a LIMIT it would plan for reading 10% of the
 * table and may sort the whole shard instead of walking the HNSW index; the coordinator only ever
 * reads the first few rows, so it is told to plan for those. The same cursor's estimated cost (no
 * LIMIT) passes jit_above_cost at a few hundred thousand faces per shard, and compiling the plan then
 * took about 100 ms of every search (bench:search on 3 shards at 1M): JIT is off on these sessions.
 */
function connectionOptions(settings: ShardSearchSettings): string {
  return `-c hnsw.ef_search=${settings.efSearch} -c cursor_tuple_fraction=0.001 -c jit=off`;
}

export function serverOptions(address: ShardAddress, settings: ShardSearchSettings): Record<string, string> {
  return {
    host: address.host,
    port: address.port,
    dbname: address.dbname,
    // A shard host that drops packets would hold a statement for the operating system's TCP
    // timeout (minutes) while the coordinator connects; searches have their own statement
    // timeout, other statements (a pivot's face, counts, rights lookups) only this bound. Seconds,
    // as the store's own pool waits for the coordinator.
    connect_timeout: '10',
    // Operators and functions of pgvector may be sent to the shard: ORDER BY embedding <=> probe
    // is evaluated there, against the shard's HNSW index.
    extensions: 'vector',
    // An Append over the shards (a scan that is not ordered by distance) runs on all at once.
    async_capable: 'true',
    fetch_size: String(settings.fetchSize),
    // Rows inserted through the coordinator travel to a shard a hundred at a time.
    batch_size: '100',
    options: connectionOptions(settings),
  };
}

export function renderOptions(options: Record<string, string>, verb = ''): string {
  return Object.entries(options)
    .map(([key, value]) => `${verb}${key} ${pg.escapeLiteral(value)}`)
    .join(', ');
}

/** Changes the shards' search settings; connections opened from then on use them. */
export async function setShardSearchSettings(coordinator: pg.ClientBase, servers: string[], settings: ShardSearchSettings): Promise<void> {
  for (const server of servers) {
    const options = { fetch_size: String(settings.fetchSize), options: connectionOptions(settings) };
    await coordinator.query(`ALTER SERVER ${pg.escapeIdentifier(server)} OPTIONS (${renderOptions(options, 'SET ')})`);
  }
}
