// The product's top-k search on PostgreSQL, statement for statement: a transaction that sets
// hnsw.ef_search for itself, then the gallery-filtered ORDER BY distance LIMIT k on the HNSW index.
import type pg from 'pg';
import type { VectorMatch } from '../../src/engines/vector-index/vector-index.ts';

export type SearchFaces = (client: pg.Client, probe: Float32Array, k: number) => Promise<VectorMatch[]>;

/** pgvector's text form; nine significant digits give back the same float32. */
export function vectorText(v: Float32Array): string {
  return `[${Array.from(v, (x) => x.toPrecision(9)).join(',')}]`;
}

export function searchSql(dimension: number, k: number): string {
  const distance = `embedding::halfvec(${dimension}) <=> $1::halfvec(${dimension})`;
  return `SELECT vector_key, ${distance} AS distance FROM faces
           WHERE gallery_id = ANY($2) AND status = 'active'
           ORDER BY ${distance} LIMIT ${k}`;
}

export function pgvectorSearch(options: { dimension: number; efSearch: number; galleries: string[] }): SearchFaces {
  return async (client, probe, k) => {
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL hnsw.ef_search = ${options.efSearch}`);
      const { rows } = await client.query<{ vector_key: string; distance: number }>(searchSql(options.dimension, k), [vectorText(probe), options.galleries]);
      await client.query('COMMIT');
      return rows.map((r) => ({ key: Number(r.vector_key), score: 1 - r.distance }));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
}
