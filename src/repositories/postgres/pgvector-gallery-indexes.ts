import { sql } from 'kysely';
import type { IndexProfiles } from '../../engines/vector-index/index-profile.ts';
import type { Clock } from '../../ports/clock.ts';
import { DEFAULT_COMPACTION, type AnsweredSearch, type CompactionPolicy, type GalleryIndexes, type GalleryMatch } from '../../ports/gallery-indexes.ts';
import type { FaceRepository, GalleryRepository } from '../../ports/store.ts';
import { PendingRemovalsTable } from './pending-removals.ts';
import { erasePhysically, type PhysicalErasureTimes } from './physical-erasure.ts';
import { faceShards, searchNearestFaces } from './pgvector-face-search.ts';
import { searchShardByShard } from './sharding/shard-by-shard-search.ts';
import { throughShards } from './sharding/shard-errors.ts';
import type { PostgresKysely } from './schema.ts';

/** What of the PostgreSQL store the indexes use. */
export interface PgvectorStore {
  readonly db: PostgresKysely;
  readonly dimension: number;
  readonly faces: Pick<FaceRepository, 'countActive'>;
  readonly galleries: Pick<GalleryRepository, 'findById'>;
}

export interface PgvectorIndexOptions {
  /** ef_search per gallery (expansionSearch); a search over several galleries takes the largest. */
  profiles?: IndexProfiles;
  /**
   * On a coordinator, how long a search waits for each shard (the config's search.shardTimeoutMs,
   * passed by openBackend); none: as long as the shards take.
   */
  shardTimeoutMs?: number;
}

// Advisory lock key of the compaction pass: 'likecomp' in ASCII, as a bigint.
const COMPACTION_LOCK = '7811893111854951792';

// ef_search without profiles: recall@10 0.934 at 100k faces, 2.3 ms p50 (docs/scaling.md).
const DEFAULT_EF_SEARCH = 100;

/**
 * The gallery indexes on PostgreSQL: one HNSW index over the faces table serves every gallery.
 * A face row is its own index entry, so adding or deleting the row is the index write, within the
 * store's transaction: a face deleted is out of every search issued after the delete returns.
 * What is left to do here is the compaction policy and the physical erasure it triggers. Nothing
 * is kept outside the database and the store owns the connections, so these indexes are not
 * detached: nothing to add, save or close.
 */
export class PgvectorGalleryIndexes implements GalleryIndexes {
  private readonly pending: PendingRemovalsTable;
  private compacting: Promise<void> | undefined;
  private rebuilding: Promise<void> | undefined;
  private compactedOnce = false;
  /** Gallery names by id, for their profiles: a gallery is never renamed, so each is read once. */
  private readonly galleryNames = new Map<string, Promise<string | undefined>>();
  /** What the last physical erasure of this process cost. */
  lastErasure: PhysicalErasureTimes | undefined;

  private constructor(private readonly store: PgvectorStore, private readonly clock: Clock, private readonly options: PgvectorIndexOptions) {
    this.pending = new PendingRemovalsTable(store.db);
  }

  static async open(store: PgvectorStore, clock: Clock, options: PgvectorIndexOptions = {}): Promise<PgvectorGalleryIndexes> {
    return new PgvectorGalleryIndexes(store, clock, options);
  }

  async remove(galleryId: string, keys: readonly number[]): Promise<void> {
    await this.pending.record(galleryId, keys.length, this.clock.now().toISOString());
  }

  async search(galleryIds: readonly string[], query: Float32Array, k: number): Promise<GalleryMatch[]> {
    return searchNearestFaces(this.store.db, this.store.dimension, galleryIds, query, k, await this.efSearch(galleryIds),
      { shardTimeoutMs: this.options.shardTimeoutMs });
  }

  /** On one node every face answers; on a coordinator each shard is asked on its own. */
  async searchAnswering(galleryIds: readonly string[], query: Float32Array, k: number): Promise<AnsweredSearch> {
    const shards = await faceShards(this.store.db);
    if (shards.length === 0 || galleryIds.length === 0 || k < 1) {
      let searchedFaces = 0;
      for (const id of galleryIds) searchedFaces += await this.size(id);
      return { matches: await this.search(galleryIds, query, k), searchedFaces, missingShards: [] };
    }
    return searchShardByShard(this.store.db, {
      dimension: this.store.dimension, shards, galleryIds, query, k, efSearch: await this.efSearch(galleryIds), timeoutMs: this.options.shardTimeoutMs,
    });
  }

  /** On a coordinator, counted within the shard time limit too: a search counts before it searches. */
  async size(galleryId: string): Promise<number> {
    const timeoutMs = this.options.shardTimeoutMs;
    if (timeoutMs === undefined || (await faceShards(this.store.db)).length === 0) return throughShards(() => this.store.faces.countActive(galleryId));
    return throughShards(() => this.store.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(trx);
      const { rows: [counted] } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM faces WHERE gallery_id = ${galleryId} AND status = 'active'`.execute(trx);
      return Number(counted?.n ?? 0);
    }), timeoutMs);
  }

  async compactsCheaply(): Promise<boolean> {
    // A compaction rewrites the whole faces table, whichever gallery asked for it.
    return false;
  }

  async dueForCompaction(galleryIds: readonly string[], policy: CompactionPolicy = DEFAULT_COMPACTION): Promise<string[]> {
    const byGallery = new Map((await this.pending.list()).map((p) => [p.galleryId, p]));
    const now = this.clock.now().getTime();
    const due: string[] = [];
    for (const id of galleryIds) {
      const p = byGallery.get(id);
      if (!p || p.count === 0) continue;
      const fraction = p.count / Math.max(1, (await this.size(id)) + p.count);
      if (fraction > policy.maxPendingFraction || now - Date.parse(p.firstAt) >= policy.maxPendingAgeMs) due.push(id);
    }
    return due;
  }

  /**
   * Erases physically what every gallery had pending: one rewrite covers the whole table, so the
   * galleries a caller compacts one after the other share the first pass, and a gallery with
   * nothing pending costs nothing. The first compaction of a process always runs, for deletes
   * made before any removal was recorded.
   */
  async compact(galleryId: string): Promise<number> {
    await (this.compacting ??= this.compactAll().finally(() => (this.compacting = undefined)));
    return this.size(galleryId);
  }

  /** Rebuilds the HNSW index without blocking searches or writes (REINDEX CONCURRENTLY). */
  async rebuild(galleryId: string, onProgress?: (done: number, total: number) => void): Promise<number> {
    await (this.rebuilding ??= sql`REINDEX INDEX CONCURRENTLY faces_embedding_hnsw`.execute(this.store.db)
      .then(() => undefined).finally(() => (this.rebuilding = undefined)));
    const size = await this.size(galleryId);
    onProgress?.(size, size);
    return size;
  }

  private async compactAll(): Promise<void> {
    // One pass at a time across processes, so that no two settle the same removals.
    await this.store.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${COMPACTION_LOCK})`.execute(conn);
      try {
        const pending = new PendingRemovalsTable(conn);
        const covered = await pending.list();
        if (covered.length === 0 && this.compactedOnce) return;
        this.lastErasure = await erasePhysically(conn);
        this.compactedOnce = true;
        await pending.settle(covered);
      } finally {
        await sql`SELECT pg_advisory_unlock(${COMPACTION_LOCK})`.execute(conn);
      }
    });
  }

  private galleryName(id: string): Promise<string | undefined> {
    let name = this.galleryNames.get(id);
    if (!name) {
      // A failed read (the server gone for a moment) is not kept: the next search asks again.
      name = this.store.galleries.findById(id).then((g) => g?.name, (error: unknown) => {
        this.galleryNames.delete(id);
        throw error;
      });
      this.galleryNames.set(id, name);
    }
    return name;
  }

  private async efSearch(galleryIds: readonly string[]): Promise<number> {
    const profiles = this.options.profiles;
    if (!profiles) return DEFAULT_EF_SEARCH;
    const names = await Promise.all(galleryIds.map((id) => this.galleryName(id)));
    return Math.max(...names.map((name) => profiles.forGallery(name).expansionSearch));
  }
}
