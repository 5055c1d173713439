import { LikenessError } from '../../errors.ts';

interface PgErrorShape { code?: unknown; message?: unknown }

// Errors of the client that never reached a server that would answer.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

/**
 * What went wrong opening a connection, as a stable error: the server cannot be reached or
 * refuses us (LIKENESS_STORE_UNAVAILABLE), or the database does not exist (LIKENESS_NOT_INITIALISED).
 * Other errors (SQL errors, bugs) are left alone.
 */
export function connectionError(error: unknown, where: string): LikenessError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as PgErrorShape;
  const text = typeof message === 'string' ? message : String(error);
  if (code === '3D000') {
    return new LikenessError('LIKENESS_NOT_INITIALISED',
      `The database of ${where} does not exist: create it (createdb), then open the store with create`, { cause: error });
  }
  const sqlstate = typeof code === 'string' ? code : '';
  const unreachable = NETWORK_CODES.has(sqlstate)
    || sqlstate.startsWith('08') // connection exception
    || sqlstate.startsWith('28') // invalid authorisation: wrong role or password
    || sqlstate === '57P03' // cannot connect now: starting up or shutting down
    || (sqlstate === '' && /timeout|terminated/i.test(text)); // the pool or client gave up connecting
  if (!unreachable) return undefined;
  return new LikenessError('LIKENESS_STORE_UNAVAILABLE', `The PostgreSQL store at ${where} cannot be reached: ${text}`,
    { cause: error, details: { ...(sqlstate ? { code: sqlstate } : {}) } });
}
