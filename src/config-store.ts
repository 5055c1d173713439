import { LikenessError } from './errors.ts';

/** Where the store of record lives: SQLite in the data directory (default), or a PostgreSQL database. */
export type StoreLocation = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

export const STORE_ENV = 'LIKENESS_STORE';

const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:']);

/**
 * Reads the store setting: the --store option, else LIKENESS_STORE, else the config file's
 * `store` key. Without any, SQLite. A value that is not a postgres:// URL is refused here, at
 * start, rather than at the first connection.
 */
export function storeLocation(sources: { option?: string; env?: string; file?: unknown }, where: string): StoreLocation {
  const [origin, raw] = sources.option !== undefined && sources.option !== '' ? ['--store', sources.option]
    : sources.env !== undefined && sources.env !== '' ? [STORE_ENV, sources.env]
      : [`${where}: store`, sources.file];
  if (raw === undefined || raw === null) return { kind: 'sqlite' };
  const fail = (why: string): never => {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${origin} ${why}`);
  };
  if (typeof raw !== 'string' || raw.trim() === '') return fail('must be a postgres:// URL');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('is not a URL: use postgres://user:password@host:port/database');
  }
  if (!POSTGRES_SCHEMES.has(url.protocol)) {
    return fail(`has the unsupported scheme "${url.protocol.replace(/:$/, '')}": only postgres:// (or postgresql://) is supported; leave it out for SQLite`);
  }
  if (url.pathname.replace(/^\//, '') === '') return fail('names no database: add /database to the URL');
  return { kind: 'postgres', url: raw };
}
