import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../store.ts';
import type { Database } from './schema.ts';
import { openDatabase } from './open-database.ts';
import { SqliteGalleryRepository, SqliteSourceRepository } from './sqlite-catalogue-repositories.ts';
import { SqliteImageRepository } from './sqlite-image-repository.ts';
import { SqliteFaceRepository } from './sqlite-face-repository.ts';
import { SqliteAccountsStore } from './sqlite-accounts-store.ts';
import { SqliteRightsStore } from './sqlite-rights-store.ts';

export class SqliteStore implements Store {
  readonly galleries;
  readonly sources;
  readonly images;
  readonly faces;
  readonly accounts;
  readonly rights;

  private constructor(private readonly db: Kysely<Database>, private readonly raw: BetterSqlite3.Database) {
    this.galleries = new SqliteGalleryRepository(db);
    this.sources = new SqliteSourceRepository(db);
    this.images = new SqliteImageRepository(db);
    this.faces = new SqliteFaceRepository(db);
    this.accounts = new SqliteAccountsStore(db);
    this.rights = new SqliteRightsStore(db);
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
