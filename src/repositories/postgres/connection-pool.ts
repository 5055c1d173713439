import type { PostgresCursor, PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { shardUnavailable } from './sharding/shard-errors.ts';
import { connectionError } from './store-errors.ts';

const INT8_OID = 20;

/**
 * int8 (bigint columns: vector keys, sequence numbers; count(*)) as JavaScript numbers, for this
 * pool only: node-postgres gives them as strings by default, and setting its parser globally would
 * change every other pool of the process. Keys past 2^53 would lose digits: refused, not rounded.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') {
      return (text: string) => {
        const n = Number(text);
        if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} is beyond JavaScript's exact integers`);
        return n;
      };
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types, connectionTimeoutMillis: 10_000 });
  // An idle connection the server ends (restart, failover, idle timeout) is dropped by the pool and
  // the next query opens a new one; without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The pool as Kysely sees it, turning a connection that cannot be opened (server down, wrong
 * password, database gone) into LIKENESS_STORE_UNAVAILABLE or LIKENESS_NOT_INITIALISED for every
 * query, not only the first: the HTTP edge answers 503 instead of a bare ECONNREFUSED. On a
 * coordinator, any statement that meets a shard it cannot reach (a pivot's face read, a count, a
 * rights lookup, not only a search) fails with LIKENESS_SHARD_UNAVAILABLE naming the shard.
 */
export function typedConnectErrors(pool: PostgresPool, where: string): PostgresPool {
  return {
    connect: async () => {
      try {
        return typedShardErrors(await pool.connect());
      } catch (error) {
        throw connectionError(error, where) ?? error;
      }
    },
    end: () => pool.end(),
  };
}

/** Only errors that name a foreign server: a class 08 of the server itself (08P01, protocol) is not about a shard. */
function typedShardErrors(client: PostgresPoolClient): PostgresPoolClient {
  const typed = <T>(promise: Promise<T>): Promise<T> => promise.catch((error: unknown) => {
    const shard = shardUnavailable(error);
    throw shard?.details?.server ? shard : error;
  });
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) {
    if (typeof sqlOrCursor === 'string') return typed(client.query<R>(sqlOrCursor, parameters ?? []));
    const cursor = client.query(sqlOrCursor);
    return { read: (rows: number) => typed(cursor.read(rows)), close: () => cursor.close() };
  }
  return { query: query as PostgresPoolClient['query'], release: () => client.release() };
}

/** The URL without its password, to name the server in messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the PostgreSQL URL given';
  }
}
