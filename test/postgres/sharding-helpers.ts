import pg from 'pg';
import { freshDatabase } from './fresh-database.ts';
import { createFacesTable } from './faces-schema.ts';

export const SEARCH_SQL = `
  SELECT id, (embedding::halfvec(512) <=> $1::halfvec(512))::float8 AS distance
    FROM faces
   ORDER BY embedding::halfvec(512) <=> $1::halfvec(512)
   LIMIT $2`;

export interface Candidate { id: string; distance: number }

export async function topK(client: pg.ClientBase, probe: string, k: number): Promise<Candidate[]> {
  return (await client.query<Candidate>(SEARCH_SQL, [probe, k])).rows;
}

/** Exact top-k by the same half-precision cosine distance the index uses: the ground truth. */
export async function exactTopK(client: pg.ClientBase, probe: string, k: number): Promise<Candidate[]> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL enable_indexscan = off');
    await client.query('SET LOCAL enable_bitmapscan = off');
    return await topK(client, probe, k);
  } finally {
    await client.query('COMMIT');
  }
}

export async function openClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A database dropped WITH (FORCE) at the end ends this connection: not an error of the test.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A database of its own on each node, the faces table on each: coordinator first, then shards. */
export async function freshNodes(nodeUrls: string[]): Promise<string[]> {
  const urls: string[] = [];
  for (const url of nodeUrls) {
    const db = await freshDatabase(url);
    await createFacesTable(db);
    urls.push(db);
  }
  return urls;
}

export async function planOf(client: pg.ClientBase, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await client.query(`EXPLAIN (VERBOSE, COSTS OFF) ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
}
