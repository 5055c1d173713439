// The faces schema the benchmark loads into: the store's agreed PostgreSQL DDL, and what a bulk
// load needs around it (the HNSW index dropped before the load and rebuilt after, the gallery the
// faces belong to, the columns and types the binary COPY must match).
import pg from 'pg';

export const HNSW_INDEX = 'faces_embedding_hnsw';

/** The agreed single-node schema: galleries, images, faces with the f32 embedding kept in the row. */
export function facesDdl(dimension: number): string[] {
  return [
    'CREATE TABLE IF NOT EXISTS galleries (id text PRIMARY KEY, name text NOT NULL, created_at text NOT NULL)',
    'CREATE TABLE IF NOT EXISTS images (id text PRIMARY KEY, created_at text NOT NULL)',
    'CREATE SEQUENCE IF NOT EXISTS faces_vector_key_seq AS bigint',
    `CREATE TABLE IF NOT EXISTS faces (
       vector_key bigint PRIMARY KEY DEFAULT nextval('faces_vector_key_seq'),
       id text NOT NULL UNIQUE,
       image_id text REFERENCES images(id),
       gallery_id text NOT NULL REFERENCES galleries(id),
       box text NOT NULL,
       landmarks text NOT NULL,
       quality text NOT NULL,
       model_id text NOT NULL,
       expires_at text,
       status text NOT NULL,
       created_at text NOT NULL,
       embedding vector(${dimension}) NOT NULL
     ) WITH (toast_tuple_target = 8160)`,
    'ALTER SEQUENCE faces_vector_key_seq OWNED BY faces.vector_key',
    'CREATE INDEX IF NOT EXISTS faces_gallery_status ON faces (gallery_id, status)',
    `CREATE INDEX IF NOT EXISTS ${HNSW_INDEX} ON faces USING hnsw ((embedding::halfvec(${dimension})) halfvec_cosine_ops) WITH (m = 16, ef_construction = 64)`,
  ];
}

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Creates the schema in an empty database; refuses one whose faces table holds rows. */
export async function migrate(url: string, dimension: number): Promise<void> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('faces') IS NOT NULL AS exists");
    if (rows[0]!.exists && (await client.query('SELECT 1 FROM faces LIMIT 1')).rows.length > 0) {
      throw new Error(`${new URL(url).pathname.slice(1)} already holds faces: point the benchmark at an empty database`);
    }
    for (const statement of facesDdl(dimension)) await client.query(statement);
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
