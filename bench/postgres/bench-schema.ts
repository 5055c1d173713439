// The faces schema the benchmark loads into: the store's own migrations (PostgresStore), and what
// a bulk load needs around them (the HNSW index dropped before the load and rebuilt after, the
// gallery and source the faces belong to, the columns and types the binary COPY must match).
import pg from 'pg';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';

export const HNSW_INDEX = 'faces_embedding_hnsw';

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs the store's migrations on an empty database; refuses one whose faces table holds rows. */
export async function migrate(url: string, dimension: number): Promise<void> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('faces') IS NOT NULL AS exists");
    if (rows[0]!.exists && (await client.query('SELECT 1 FROM faces LIMIT 1')).rows.length > 0) {
      throw new Error(`${new URL(url).pathname.slice(1)} already holds faces: point the benchmark at an empty database`);
    }
    const store = await PostgresStore.open(url, { create: true, dimension });
    await store.close();
  } finally {
    await client.end();
  }
}

/** Drops the HNSW index so that the load does not insert into it row by row; returns its definition. */
export async function dropHnswIndex(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ def: string }>('SELECT pg_get_indexdef(to_regclass($1)) AS def', [HNSW_INDEX]);
  const def = rows[0]?.def;
  if (!def) throw new Error(`no ${HNSW_INDEX} index: did the migrations run?`);
  await client.query(`DROP INDEX ${HNSW_INDEX}`);
  return def;
}

export interface ColumnInfo { name: string; type: string; required: boolean }

/** Columns of a table in order, with whether a row must give them (NOT NULL without a default). */
export async function columnsOf(client: pg.ClientBase, table: string): Promise<ColumnInfo[]> {
  const { rows } = await client.query<ColumnInfo>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (a.attnotnull AND NOT a.atthasdef AND a.attidentity = '') AS required
       FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`, [table]);
  return rows;
}

/** A row of `table` with the given values, placeholders for the other required columns. */
export async function insertRow(client: pg.ClientBase, table: string, values: Record<string, string>): Promise<void> {
  const columns = await columnsOf(client, table);
  const row = columns.filter((c) => c.name in values || c.required).map((c) => [c.name, values[c.name] ?? placeholder(c.type)] as const);
  await client.query(
    `INSERT INTO ${pg.escapeIdentifier(table)} (${row.map(([n]) => pg.escapeIdentifier(n)).join(', ')})
     VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
    row.map(([, v]) => v));
}

function placeholder(type: string): string {
  if (/json/.test(type)) return '{}';
  if (/int|numeric|real|double/.test(type)) return '0';
  if (/bool/.test(type)) return 'false';
  if (/time|date/.test(type)) return new Date().toISOString();
  return 'bench';
}
