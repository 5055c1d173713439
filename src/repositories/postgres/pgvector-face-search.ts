import { sql, type RawBuilder } from 'kysely';
import type { GalleryMatch } from '../../ports/gallery-indexes.ts';
import type { PostgresKysely } from './schema.ts';
import { throughShards } from './sharding/shard-errors.ts';
import { toVectorLiteral } from './vector-literal.ts';

// pgvector's bounds for hnsw.ef_search.
const MIN_EF_SEARCH = 1;
const MAX_EF_SEARCH = 1000;

/**
 * The nearest active faces of some galleries, by the HNSW index on the half-precision cast of the
 * embedding (faces_embedding_hnsw): the ORDER BY must be that very expression for the planner to
 * walk the index. Exported so a test can EXPLAIN the statement the search runs.
 *
 * On a coordinator whose faces are spread over shards (`shards`: its foreign partitions, see
 * sharding/shard-faces.ts), a plain ORDER BY over the partitioned table is a Merge Append that
 * reads the shards one after another. Instead each shard gets its own ORDER BY distance LIMIT k,
 * which postgres_fdw sends whole, under a UNION ALL whose Append runs the foreign scans at once
 * (async_capable): a search waits for about the slowest shard, and the coordinator merges k-lists.
 */
export function nearestFacesQuery(
  dimension: number, galleryIds: readonly string[], query: Float32Array, k: number, shards: readonly string[] = [],
): RawBuilder<NearestFaceRow> {
  const half = sql.raw(`halfvec(${wholeNumber(dimension)})`);
  const probe = sql`${toVectorLiteral(query)}::${half}`;
  const distance = sql`embedding::${half} <=> ${probe}`;
  const limit = wholeNumber(k);
  if (shards.length < 2) {
    return sql<NearestFaceRow>`SELECT vector_key, gallery_id, 1 - (${distance}) AS score
    FROM faces
    WHERE gallery_id = ANY(${[...galleryIds]}::text[]) AND status = 'active'
    ORDER BY ${distance}
    LIMIT ${limit}`;
  }
  const perShard = sql.join(shards.map((shard) => sql`(${shardBranch(shard, distance, galleryIds, limit)})`), sql` UNION ALL `);
  // Ordered by the score, not the shards' own order: a Merge Append would start the shards one by one.
  return sql<NearestFaceRow>`SELECT vector_key, gallery_id, 1 - distance AS score FROM (${perShard}) AS candidates ORDER BY score DESC LIMIT ${limit}`;
}

/**
 * One shard's nearest faces, asked on its own (sharding/shard-by-shard-search.ts): the same
 * statement as a branch of the UNION ALL, which postgres_fdw sends whole with its ORDER BY and LIMIT.
 */
export function nearestOnShardQuery(
  dimension: number, galleryIds: readonly string[], query: Float32Array, k: number, shard: string,
): RawBuilder<NearestShardRow> {
  const half = sql.raw(`halfvec(${wholeNumber(dimension)})`);
  return shardBranch(shard, sql`embedding::${half} <=> ${toVectorLiteral(query)}::${half}`, galleryIds, wholeNumber(k));
}

export interface NearestShardRow {
  vector_key: number | string;
  gallery_id: string;
  distance: number;
}

// Returns exactly the columns it is ordered by: no projection sits between the foreign scan and
// what consumes it (an async Append, or the client), so the ORDER BY and the LIMIT go to the shard.
function shardBranch(shard: string, distance: RawBuilder<unknown>, galleryIds: readonly string[], limit: number): RawBuilder<NearestShardRow> {
  return sql<NearestShardRow>`SELECT vector_key, gallery_id, ${distance} AS distance
    FROM ${sql.table(shard)}
    WHERE gallery_id = ANY(${[...galleryIds]}::text[]) AND status = 'active'
    ORDER BY distance
    LIMIT ${limit}`;
}

const shardsOf = new WeakMap<object, Promise<string[]>>();

/**
 * The foreign partitions of `faces` on a coordinator (none on one node), read once per database
 * handle: sharding is set up before a store is opened on it (shardFaces).
 */
export function faceShards(db: PostgresKysely): Promise<string[]> {
  let shards = shardsOf.get(db);
  if (!shards) {
    shards = sql<{ name: string }>`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass('faces') AND c.relkind = 'f' ORDER BY c.relname`.execute(db).then((r) => r.rows.map((row) => row.name));
    shardsOf.set(db, shards);
    shards.catch(() => shardsOf.delete(db));
  }
  return shards;
}

/**
 * The per-query settings of a search, local to its transaction: ef_search is the recall dial, and
 * the iterative scan keeps walking the graph while the gallery and status filter throws rows away,
 * so a small gallery in a large table still gets its k rows (relaxed order: the caller re-sorts).
 */
export async function applySearchSettings(trx: PostgresKysely, efSearch: number, extra: SearchSettingsExtra = {}): Promise<void> {
  const ef = Math.min(MAX_EF_SEARCH, Math.max(MIN_EF_SEARCH, Math.round(efSearch)));
  // In the same statement, so that bounding a sharded search costs no round trip.
  const timeout = extra.timeoutMs === undefined ? sql`` : sql`, set_config('statement_timeout', ${String(wholeNumber(extra.timeoutMs))}, true)`;
  const sorting = extra.sortOnShard ? sql`, set_config('enable_sort', 'off', true)` : sql``;
  await sql`SELECT set_config('hnsw.ef_search', ${String(ef)}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)${timeout}${sorting}`.execute(trx);
}

export interface SearchSettingsExtra {
  /** statement_timeout of the transaction: how long a coordinator waits for its shards. */
  timeoutMs?: number;
  /**
   * A shard asked on its own: the coordinator may not sort its rows itself. Without statistics of
   * its foreign partitions (nothing ANALYZEs them: autovacuum skips foreign tables) the planner
   * thinks a shard holds a row or so and sorts locally, so the shard would send every face of the
   * galleries, embeddings and all. With the sort kept off, the ORDER BY goes to the shard, which
   * streams its candidates in distance order through a cursor (fetch_size at a time) and the
   * coordinator stops after k; with statistics the LIMIT goes to the shard as well.
   */
  sortOnShard?: boolean;
}

export interface NearestFaceRow {
  vector_key: number | string;
  gallery_id: string;
  score: number;
}

/**
 * One search, one transaction: the settings and the statement on the same connection. On a
 * coordinator, a shard that cannot be reached, or that has not answered within `shardTimeoutMs`,
 * fails the whole search with LIKENESS_SHARD_UNAVAILABLE: this is the search that gives no
 * partial answer (docs/scaling.md, "A shard that does not answer").
 */
export async function searchNearestFaces(
  db: PostgresKysely, dimension: number, galleryIds: readonly string[], query: Float32Array, k: number, efSearch: number,
  options: { shardTimeoutMs?: number } = {},
): Promise<GalleryMatch[]> {
  if (galleryIds.length === 0 || k < 1) return [];
  const shards = await faceShards(db);
  const timeoutMs = shards.length > 0 ? options.shardTimeoutMs : undefined;
  const rows = await throughShards(() => db.transaction().execute(async (trx) => {
    await applySearchSettings(trx, Math.max(k, efSearch), { timeoutMs });
    return (await nearestFacesQuery(dimension, galleryIds, query, k, shards).execute(trx)).rows;
  }), timeoutMs);
  return rows.map((r) => ({ key: Number(r.vector_key), galleryId: r.gallery_id, score: Number(r.score) }))
    .sort((a, b) => b.score - a.score);
}

function wholeNumber(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`expected a whole number of 1 or more, got ${n}`);
  return n;
}
