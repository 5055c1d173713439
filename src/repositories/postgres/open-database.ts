import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { LikenessError } from '../../errors.ts';
import type { Database } from '../kysely/schema.ts';
import { describeUrl, openPool, typedConnectErrors } from './connection-pool.ts';
import { migrationProvider } from './migrations/index.ts';

export const DEFAULT_DIMENSION = 512;

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** The dimension of faces.embedding, as the table was created. */
  dimension: number;
}

/**
 * Connects to the database of `url` and brings its schema to the latest migration. A database
 * without the schema is created only when asked (`create`), with embeddings of `dimension`
 * (default 512); an existing one keeps its own, and asking for another is an error.
 */
export async function openDatabase(url: string, options: { create?: boolean; dimension?: number }): Promise<OpenedDatabase> {
  const where = describeUrl(url);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: typedConnectErrors(openPool(url), where) }) });
  try {
    const { rows } = await sql<{ initialised: boolean }>`SELECT to_regclass('faces') IS NOT NULL AS initialised`.execute(db);
    const initialised = rows[0]!.initialised;
    if (!initialised && !options.create) {
      throw new LikenessError('LIKENESS_NOT_INITIALISED',
        `The PostgreSQL database at ${where} holds no likeness store: open it with create (likeness init) first`);
    }
    await migrate(db, options.dimension ?? DEFAULT_DIMENSION);
    const dimension = await embeddingDimension(db);
    if (options.dimension !== undefined && options.dimension !== dimension) {
      throw new LikenessError('LIKENESS_INDEX_DIMENSION',
        `The store at ${where} holds ${dimension}-dimensional embeddings, not ${options.dimension}`);
    }
    return { db, dimension };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function migrate(db: Kysely<Database>, dimension: number): Promise<void> {
  // Kysely's migrator takes a lock of its own: processes opening the store at once migrate once.
  const { error, results } = await new Migrator({ db, provider: migrationProvider(dimension) }).migrateToLatest();
  if (!error) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  const hint = /extension "vector"/.test(String(error))
    ? ' (pgvector must be installed on the server; a superuser runs CREATE EXTENSION vector in this database)' : '';
  throw new LikenessError('LIKENESS_CONFIG_INVALID', `Store migration ${failed} failed: ${String(error)}${hint}`, { cause: error });
}

async function embeddingDimension(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ type: string | null }>`
    SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = to_regclass('faces') AND attname = 'embedding' AND NOT attisdropped`.execute(db);
  const dimension = Number(/^vector\((\d+)\)$/.exec(rows[0]?.type ?? '')?.[1]);
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `faces.embedding is ${rows[0]?.type ?? 'missing'}, not a vector(N)`);
  }
  return dimension;
}
