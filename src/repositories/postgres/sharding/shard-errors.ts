import { isLikenessError, LikenessError } from '../../../errors.ts';

interface PgErrorShape { code?: unknown; message?: unknown; detail?: unknown }

/**
 * postgres_fdw reports a shard it cannot reach as an error of the coordinator in SQLSTATE class
 * 08 (connection exception): 08001 `could not connect to server "faces_shard_1"` when the shard
 * is down or refuses, 08006 when a connection breaks during a query. The whole statement fails,
 * so a search never returns the candidates of the shards that did answer as if they were all.
 * Errors of the connection to the coordinator itself come from the client (ECONNREFUSED, ...),
 * carry no SQLSTATE and are left alone.
 */
export function shardUnavailable(error: unknown): LikenessError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, detail } = error as PgErrorShape;
  if (typeof code !== 'string' || !code.startsWith('08')) return undefined;
  const text = typeof message === 'string' ? message : '';
  const server = /server "([^"]+)"/.exec(text)?.[1];
  return new LikenessError('LIKENESS_SHARD_UNAVAILABLE',
    server ? `The shard ${server} cannot be reached: no partial answer is given` : undefined,
    { cause: error, details: { ...(server ? { server } : {}), sqlstate: code, ...(typeof detail === 'string' ? { reason: detail } : {}) } });
}

/** SQLSTATE 57014: a statement cancelled, here by the statement_timeout a sharded search sets. */
export function cancelledByTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as PgErrorShape).code === '57014';
}

/**
 * A shard asked on its own that gave no answer: unreachable (class 08), or its statement cancelled
 * for time or its server shutting down (class 57, operator intervention).
 */
export function noAnswerFromShard(error: unknown): boolean {
  // Statements through the store's own pool arrive already typed (connection-pool.ts).
  if (isLikenessError(error, 'LIKENESS_SHARD_UNAVAILABLE') || shardUnavailable(error)) return true;
  const code = typeof error === 'object' && error !== null ? (error as PgErrorShape).code : undefined;
  return typeof code === 'string' && code.startsWith('57');
}

/**
 * Runs a statement through the coordinator, turning an unreachable shard into its stable error;
 * with `timeoutMs` (the statement_timeout the statement ran under), a statement cancelled for
 * lack of an answer in time as well.
 */
export async function throughShards<T>(work: () => Promise<T>, timeoutMs?: number): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (timeoutMs !== undefined && cancelledByTimeout(error)) {
      throw new LikenessError('LIKENESS_SHARD_UNAVAILABLE', `The shards did not all answer within ${timeoutMs} ms: no partial answer is given`,
        { cause: error, details: { timeoutMs } });
    }
    throw shardUnavailable(error) ?? error;
  }
}
