// A prototype of the compaction that docs/scaling.md ("Compaction and searches") proposes, for
// bench:compaction --partitions P to measure beside the store's own: the faces hash partitioned
// on vector_key, and each partition compacted by copying its live rows into a new table with its
// own HNSW index while the old one still serves searches (writes to it wait, under SHARE), then
// swapped in (DETACH, ATTACH) under a lock held only for the swap. It works on a table of its
// own, `bench_faces`, made from the store's `faces`; the store does not use it.
import type pg from 'pg';

export const PARTITIONED = 'bench_faces';

const HNSW = (table: string, dimension: number) =>
  `CREATE INDEX ON ${table} USING hnsw ((embedding::halfvec(${dimension})) halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)`;

const partition = (i: number) => `${PARTITIONED}_${i}`;

/** `bench_faces`, hash partitioned on vector_key into `partitions`, with the rows and HNSW index of `faces`. */
export async function createPartitioned(client: pg.Client, partitions: number, dimension: number): Promise<void> {
  await client.query(`CREATE TABLE ${PARTITIONED} (LIKE faces INCLUDING DEFAULTS) PARTITION BY HASH (vector_key)`);
  for (let i = 0; i < partitions; i++) {
    await client.query(`CREATE TABLE ${partition(i)} PARTITION OF ${PARTITIONED} FOR VALUES WITH (MODULUS ${partitions}, REMAINDER ${i})`);
  }
  await client.query(`INSERT INTO ${PARTITIONED} SELECT * FROM faces`);
  await client.query(`SET maintenance_work_mem = '2GB'`);
  await client.query(HNSW(PARTITIONED, dimension));
  await client.query(`VACUUM ANALYZE ${PARTITIONED}`);
}

/** The nearest active faces of a gallery in `bench_faces`, as the store's search asks `faces` (pgvector-face-search.ts). */
export async function searchPartitioned(client: pg.ClientBase, dimension: number, gallery: string, probe: Float32Array, k: number, efSearch: number,
  explain = false): Promise<pg.QueryResultRow[]> {
  const literal = `[${Array.from(probe, (x) => x.toPrecision(9)).join(',')}]`;
  await client.query('BEGIN');
  try {
    // A partition of a few thousand rows looks cheaper to scan whole than to walk its graph; at
    // P partitions that is P sequential scans per search, so each partition's HNSW index is required.
    await client.query(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),
      set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`, [String(efSearch)]);
    const { rows } = await client.query(
      `${explain ? 'EXPLAIN (COSTS OFF) ' : ''}SELECT vector_key, 1 - (embedding::halfvec(${dimension}) <=> $1::halfvec(${dimension})) AS score FROM ${PARTITIONED}
        WHERE gallery_id = $2 AND status = 'active'
        ORDER BY embedding::halfvec(${dimension}) <=> $1::halfvec(${dimension}) LIMIT ${k}`, [literal, gallery]);
    return rows;
  } finally {
    await client.query('COMMIT');
  }
}

/**
 * Compacts every partition, one after the other: a new table with the live rows and its own HNSW
 * index is built while the old partition still answers searches, then the two are swapped in the
 * same transaction. Returns each partition's time, and how long its swap took.
 */
export async function compactPartitions(client: pg.Client, partitions: number, dimension: number): Promise<{ ms: number; swapMs: number }[]> {
  const times: { ms: number; swapMs: number }[] = [];
  await client.query(`SET maintenance_work_mem = '2GB'`);
  for (let i = 0; i < partitions; i++) {
    const old = partition(i);
    const next = `${old}_next`;
    const began = performance.now();
    await client.query('BEGIN');
    try {
      await client.query(`LOCK TABLE ${old} IN SHARE MODE`);
      await client.query(`CREATE TABLE ${next} (LIKE ${old} INCLUDING DEFAULTS)`);
      await client.query(`INSERT INTO ${next} SELECT * FROM ${old}`);
      await client.query(HNSW(next, dimension));
      // The bound as a CHECK, so that ATTACH finds it proven and scans nothing under its lock.
      await client.query(`ALTER TABLE ${next} ADD CONSTRAINT ${next}_bound CHECK (satisfies_hash_partition('${PARTITIONED}'::regclass, ${partitions}, ${i}, vector_key))`);
      await client.query(`ANALYZE ${next}`);
      const swap = performance.now();
      await client.query(`ALTER TABLE ${PARTITIONED} DETACH PARTITION ${old}`);
      await client.query(`ALTER TABLE ${PARTITIONED} ATTACH PARTITION ${next} FOR VALUES WITH (MODULUS ${partitions}, REMAINDER ${i})`);
      await client.query(`DROP TABLE ${old}`);
      await client.query(`ALTER TABLE ${next} RENAME TO ${old}`);
      await client.query('COMMIT');
      times.push({ ms: performance.now() - began, swapMs: performance.now() - swap });
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
  await client.query('SELECT pg_switch_wal()');
  await client.query('CHECKPOINT');
  return times;
}
