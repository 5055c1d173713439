import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../store.ts';
import type { Database } from '../kysely/schema.ts';
import { KyselyGalleryRepository, KyselySourceRepository } from '../kysely/catalogue-repositories.ts';
import { KyselyAccountsStore, type WriteTransaction } from '../kysely/accounts-store.ts';
import { KyselyRightsStore } from '../kysely/rights-store.ts';
import { openDatabase } from './open-database.ts';
import { SqliteImageRepository } from './sqlite-image-repository.ts';
import { SqliteFaceRepository } from './sqlite-face-repository.ts';
import { SqliteFaceChangeLog } from './sqlite-face-change-log.ts';

/**
 * One connection held for the whole unit; IMMEDIATE takes the write lock before the chain's
 * last hash is read, so another process cannot append between the read and the insert.
 */
const immediateTransaction = (db: Kysely<Database>): WriteTransaction => (work) =>
  db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn);
      throw error;
    }
  });

export class SqliteStore implements Store {
  readonly galleries;
  readonly sources;
  readonly images;
  readonly faces;
  readonly accounts;
  readonly rights;
  /** Faces added and deleted by every process, for the embedded indexes to follow. */
  readonly faceChanges: SqliteFaceChangeLog;

  private constructor(private readonly db: Kysely<Database>, private readonly raw: BetterSqlite3.Database) {
    this.galleries = new KyselyGalleryRepository(db);
    this.sources = new KyselySourceRepository(db);
    this.images = new SqliteImageRepository(db);
    this.faces = new SqliteFaceRepository(db);
    this.accounts = new KyselyAccountsStore(db, immediateTransaction(db));
    this.rights = new KyselyRightsStore(db);
    this.faceChanges = new SqliteFaceChangeLog(db);
  }

  static async open(file: string, options: { create: boolean } = { create: false }): Promise<SqliteStore> {
    const { db, raw } = await openDatabase(file, options);
    return new SqliteStore(db, raw);
  }

  async checkpoint(): Promise<void> {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(this.db);
  }

  async backup(file: string): Promise<void> {
    // SQLite's online backup API: a consistent snapshot, page by page, without stopping writers.
    await this.raw.backup(file);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
