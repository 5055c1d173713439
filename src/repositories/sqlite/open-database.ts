import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import { LikenessError } from '../../errors.ts';
import { ImmediateSqliteDialect } from './immediate-dialect.ts';
import { migrationProvider } from './migrations/index.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Database } from '../kysely/schema.ts';

export interface OpenedDatabase {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
}

/**
 * Opens (creating if asked) the SQLite store of record. WAL keeps readers off writers' backs;
 * secure_delete overwrites deleted content so an erased face's bytes do not linger in free pages.
 */
export async function openDatabase(file: string, options: { create: boolean }): Promise<OpenedDatabase> {
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { fileMustExist: !options.create });
  } catch (error) {
    throw new LikenessError('LIKENESS_NOT_INITIALISED', `No likeness store at ${file}: run "likeness init" first`, { cause: error });
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('secure_delete = ON');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `Store migration ${failed} failed: ${String(error)}`, { cause: error });
  }
  return { db, raw };
}
