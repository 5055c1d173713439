import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { Database } from '../kysely/schema.ts';
import { KyselyGalleryRepository, KyselySourceRepository } from '../kysely/catalogue-repositories.ts';
import { accountRepositories } from '../kysely/accounts-store.ts';
import { casesStore } from '../kysely/cases-store.ts';
import { KyselyRightsStore } from '../kysely/rights-store.ts';
import { openDatabase } from './open-database.ts';
import { SqliteImageRepository } from './sqlite-image-repository.ts';
import { SqliteFaceRepository } from './sqlite-face-repository.ts';
import { SqliteFaceChangeLog } from './sqlite-face-change-log.ts';

function repositoriesOver(db: Kysely<Database>): StoreRepositories {
  return {
    galleries: new KyselyGalleryRepository(db),
    sources: new KyselySourceRepository(db),
    images: new SqliteImageRepository(db),
    faces: new SqliteFaceRepository(db),
    accounts: accountRepositories(db),
    rights: new KyselyRightsStore(db),
    cases: casesStore(db),
  };
}

export class SqliteStore implements Store {
  readonly galleries;
  readonly sources;
  readonly images;
  readonly faces;
  readonly accounts;
  readonly rights;
  /** Faces added and deleted by every process, for the embedded indexes to follow. */
  readonly faceChanges: SqliteFaceChangeLog;
  readonly cases;

  private constructor(private readonly db: Kysely<Database>, private readonly raw: BetterSqlite3.Database) {
    ({ galleries: this.galleries, sources: this.sources, images: this.images, faces: this.faces, accounts: this.accounts, rights: this.rights, cases: this.cases } = repositoriesOver(db));
    this.faceChanges = new SqliteFaceChangeLog(db);
  }

  static async open(file: string, options: { create: boolean } = { create: false }): Promise<SqliteStore> {
    const { db, raw } = await openDatabase(file, options);
    return new SqliteStore(db, raw);
  }

  /** BEGIN IMMEDIATE (see ImmediateSqliteDialect): the write lock is held from the first statement to the commit. */
  async transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(repositoriesOver(trx)));
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
