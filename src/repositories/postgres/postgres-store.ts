import { sql, type Kysely } from 'kysely';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { Database } from '../kysely/schema.ts';
import { accountRepositories } from '../kysely/accounts-store.ts';
import { casesStore } from '../kysely/cases-store.ts';
import { KyselyGalleryRepository, KyselySourceRepository } from '../kysely/catalogue-repositories.ts';
import { KyselyRightsStore } from '../kysely/rights-store.ts';
import { auditChainTransaction } from './audit-chain-lock.ts';
import { openDatabase } from './open-database.ts';
import { dumpDatabase } from './pg-dump.ts';
import { requirePhysicalErasure } from './physical-erasure.ts';
import { PostgresFaceRepository } from './postgres-face-repository.ts';
import { PostgresImageRepository } from './postgres-image-repository.ts';
import { TABLES_THAT_LOSE_ROWS, withPostgresTables, type PostgresKysely } from './schema.ts';

function repositoriesOver(db: Kysely<Database>, dimension: number): StoreRepositories {
  return {
    galleries: new KyselyGalleryRepository(db),
    sources: new KyselySourceRepository(db),
    images: new PostgresImageRepository(db, dimension),
    faces: new PostgresFaceRepository(db),
    accounts: accountRepositories(db),
    rights: new KyselyRightsStore(db),
    cases: casesStore(db),
  };
}

/** The store of record on PostgreSQL + pgvector: the shared Kysely repositories over a pg pool. */
export class PostgresStore implements Store {
  readonly galleries;
  readonly sources;
  readonly images;
  readonly faces;
  readonly accounts;
  readonly rights;
  readonly cases;
  /** Kysely over the store's pool, with faces.embedding typed: for queries of its own (vector search). */
  readonly db: PostgresKysely;

  private constructor(base: Kysely<Database>, readonly dimension: number, private readonly url: string) {
    this.db = withPostgresTables(base);
    ({ galleries: this.galleries, sources: this.sources, images: this.images, faces: this.faces, accounts: this.accounts, rights: this.rights, cases: this.cases } = repositoriesOver(base, dimension));
    this.base = base;
  }

  private readonly base: Kysely<Database>;

  /** One transaction that first takes the audit chain's lock (auditChainTransaction), so concurrent units of work chain in order. */
  async transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    return auditChainTransaction(this.base)((trx) => work(repositoriesOver(trx, this.dimension)));
  }

  /**
   * Opens the store in the database of `url`. `create` runs the migrations on a database without
   * the schema (embeddings of `dimension`, default 512); without it such a database is refused
   * with LIKENESS_NOT_INITIALISED. A server that cannot be reached: LIKENESS_STORE_UNAVAILABLE.
   */
  static async open(url: string, options: { create?: boolean; dimension?: number } = {}): Promise<PostgresStore> {
    const { db, dimension } = await openDatabase(url, options);
    return new PostgresStore(db, dimension, url);
  }

  /**
   * Makes the space of deleted rows reusable (VACUUM of the tables that lose rows: dead row
   * versions, and their entries in every index, HNSW included, are removed; their bytes may stay
   * in free space until it is reused), then writes every dirty page to the data files (CHECKPOINT).
   * CHECKPOINT takes superuser or pg_checkpoint (PostgreSQL 15); a role without either leaves the
   * pages to the server's next scheduled checkpoint (checkpoint_timeout) instead of failing.
   * On a coordinator whose faces are sharded (shardFaces) the partitions are foreign tables, which
   * VACUUM skips: the shards' own autovacuum, or a VACUUM run on each shard, reclaims their space.
   */
  async checkpoint(): Promise<void> {
    await sql`VACUUM ${sql.join(TABLES_THAT_LOSE_ROWS.map((t) => sql.table(t)))}`.execute(this.db);
    try {
      await sql`CHECKPOINT`.execute(this.db);
    } catch (error) {
      if ((error as { code?: unknown }).code !== '42501') throw error;
    }
  }

  /** LIKENESS_CONFIG_INVALID, naming each setting or grant, when this server cannot erase deleted faces physically. */
  async requirePhysicalErasure(): Promise<void> {
    await requirePhysicalErasure(this.db);
  }

  /** pg_dump's custom format of this database (restore with pg_restore), or LIKENESS_BACKUP_UNAVAILABLE without pg_dump. */
  async backup(file: string): Promise<void> {
    await dumpDatabase(this.url, file);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
