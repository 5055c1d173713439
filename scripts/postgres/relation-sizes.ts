import type pg from 'pg';

export interface RelationSizes {
  /** The table's own pages: every column but the out-of-line embedding. */
  heapBytes: number;
  /** The f32 embedding (2 KiB) does not fit in a heap tuple and lives in the TOAST table. */
  toastBytes: number;
  /** The HNSW index on embedding::halfvec: what a search must keep in memory. */
  hnswBytes: number;
  /** Primary key, unique id and the other b-trees. */
  otherIndexBytes: number;
  /** pg_total_relation_size: all of the above. */
  totalBytes: number;
}

/** Sizes of a faces table and its indexes, after VACUUM so that the free-space map is in. */
export async function relationSizes(client: pg.ClientBase, table = 'faces', hnswIndex = 'faces_embedding_hnsw'): Promise<RelationSizes> {
  const { rows: [row] } = await client.query<Record<string, string>>(
    `SELECT pg_relation_size(c.oid) AS heap,
            coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS toast,
            pg_relation_size(to_regclass($2)) AS hnsw,
            pg_indexes_size(c.oid) - pg_relation_size(to_regclass($2)) AS other,
            pg_total_relation_size(c.oid) AS total
       FROM pg_class c WHERE c.oid = to_regclass($1)`, [table, hnswIndex]);
  return {
    heapBytes: Number(row!.heap),
    toastBytes: Number(row!.toast),
    hnswBytes: Number(row!.hnsw),
    otherIndexBytes: Number(row!.other),
    totalBytes: Number(row!.total),
  };
}

export function perFace(sizes: RelationSizes, faces: number): Record<keyof RelationSizes, number> {
  return Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, Math.round((v / faces) * 10) / 10])) as Record<keyof RelationSizes, number>;
}
