import { sql } from 'kysely';
import { LikenessError } from '../../../errors.ts';
import type { AnsweredSearch, GalleryMatch } from '../../../ports/gallery-indexes.ts';
import { applySearchSettings, nearestOnShardQuery, type NearestShardRow } from '../pgvector-face-search.ts';
import type { PostgresKysely } from '../schema.ts';
import { noAnswerFromShard } from './shard-errors.ts';

export interface ShardByShardSearch {
  dimension: number;
  /** The coordinator's foreign partitions of faces (faceShards), each named after its foreign server. */
  shards: readonly string[];
  galleryIds: readonly string[];
  query: Float32Array;
  k: number;
  efSearch: number;
  /** How long each shard is waited for once the coordinator's connection is in hand; none: no limit. */
  timeoutMs?: number;
}

interface ShardAnswer { rows: NearestShardRow[]; faces: number }

/**
 * A search that may answer from part of the shards (docs/scaling.md, "A shard that does not
 * answer"): each foreign partition is asked on its own, concurrently, in a transaction of its own,
 * for its top k and its count of the galleries' active faces (one snapshot of the shard for both);
 * the k-lists are merged here. A shard that refuses, breaks off or is not done within the time
 * limit is named missing, and its faces are neither candidates nor counted. Any other error fails
 * the search, as does no shard answering at all. The single UNION ALL statement of
 * searchNearestFaces stays the search when no partial answer is allowed: this one costs a
 * coordinator connection per shard.
 */
export async function searchShardByShard(db: PostgresKysely, search: ShardByShardSearch): Promise<AnsweredSearch> {
  const answers = await Promise.all(search.shards.map((shard) => askShard(db, shard, search)));
  const missingShards = search.shards.filter((_, i) => answers[i] === undefined);
  if (missingShards.length === search.shards.length) {
    throw new LikenessError('LIKENESS_SHARD_UNAVAILABLE', `No shard answered${search.timeoutMs === undefined ? '' : ` within ${search.timeoutMs} ms`}: ${missingShards.join(', ')}`,
      { details: { missingShards } });
  }
  const matches: GalleryMatch[] = answers.flatMap((answer) => answer?.rows ?? [])
    .map((r) => ({ key: Number(r.vector_key), galleryId: r.gallery_id, score: 1 - Number(r.distance) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, search.k);
  const searchedFaces = answers.reduce((sum, answer) => sum + (answer?.faces ?? 0), 0);
  return { matches, searchedFaces, missingShards };
}

/** One shard's answer, or undefined when it did not give one in time. */
function askShard(db: PostgresKysely, shard: string, search: ShardByShardSearch): Promise<ShardAnswer | undefined> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    db.transaction().execute(async (trx) => {
      // statement_timeout makes the coordinator cancel a shard's statement, and postgres_fdw the
      // shard's query; the timer also covers what statement_timeout cannot interrupt (PostgreSQL
      // 15's postgres_fdw opening its connection to a shard that does not answer the handshake).
      // Both start once the coordinator's connection is in hand: a wait for the pool is no shard's fault.
      await applySearchSettings(trx, Math.max(search.k, search.efSearch), { timeoutMs: search.timeoutMs, sortOnShard: true });
      if (search.timeoutMs !== undefined) timer = setTimeout(() => resolve(undefined), search.timeoutMs);
      const { rows } = await nearestOnShardQuery(search.dimension, search.galleryIds, search.query, search.k, shard).execute(trx);
      const { rows: [counted] } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(shard)}
        WHERE gallery_id = ANY(${[...search.galleryIds]}::text[]) AND status = 'active'`.execute(trx);
      return { rows, faces: Number(counted?.n ?? 0) };
    }).then(resolve, (error: unknown) => {
      if (noAnswerFromShard(error)) resolve(undefined);
      else reject(error);
    }).finally(() => clearTimeout(timer));
  });
}
