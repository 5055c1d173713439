import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared; the store's queries are a few dozen shapes. */
const MAX_STATEMENTS = 256;

/**
 * The database as the query builder sees it, with each statement prepared once and reused:
 * ingestion runs the same few inserts for every image, and preparing them again each time cost
 * more than running them. A statement still being iterated (a stream in progress) is not handed
 * out twice; a fresh one is prepared for the second caller.
 */
export function withStatementCache(raw: BetterSqlite3.Database, max = MAX_STATEMENTS): SqliteDatabase {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = prepared.get(sql);
      if (cached && !cached.busy) {
        // Most recently used last, so the least used leaves first.
        prepared.delete(sql);
        prepared.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      if (!cached) {
        prepared.set(sql, statement);
        if (prepared.size > max) prepared.delete(prepared.keys().next().value as string);
      }
      return statement;
    },
    close(): void {
      prepared.clear();
      raw.close();
    },
  };
}
