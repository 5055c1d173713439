import pg from 'pg';

// The single-node shape of the faces table that the sharding tests spread over shards: the
// columns of SQLite's faces, the f32 embedding as store of record, and the HNSW index on its
// half-precision cast.
export const FACES_DDL = [
  'CREATE SEQUENCE faces_vector_key_seq AS bigint',
  `CREATE TABLE faces (
     vector_key bigint PRIMARY KEY DEFAULT nextval('faces_vector_key_seq'),
     id text NOT NULL UNIQUE,
     image_id text NOT NULL,
     gallery_id text NOT NULL,
     box text NOT NULL,
     landmarks text NOT NULL,
     quality text NOT NULL,
     model_id text NOT NULL,
     expires_at text NOT NULL,
     status text NOT NULL,
     created_at text NOT NULL,
     embedding vector(512) NOT NULL
   )`,
  'ALTER SEQUENCE faces_vector_key_seq OWNED BY faces.vector_key',
  'CREATE INDEX faces_gallery_status ON faces (gallery_id, status)',
];

export const FACES_HNSW_DDL = 'CREATE INDEX faces_embedding_hnsw ON faces USING hnsw ((embedding::halfvec(512)) halfvec_cosine_ops)';

/** The table with its indexes; `hnsw: false` leaves the HNSW index out, to build it after a bulk load. */
export async function createFacesTable(url: string, options: { hnsw?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of FACES_DDL) await client.query(statement);
    if (options.hnsw !== false) await client.query(FACES_HNSW_DDL);
  } finally {
    await client.end();
  }
}

/** One face row as the store writes it; only the embedding and vector key matter to search. */
export function faceRow(vectorKey: number, embedding: string): unknown[] {
  return [vectorKey, `face-${vectorKey}`, `image-${vectorKey}`, 'default', '{}', '[]', '{}', 'test-model', '2099-01-01T00:00:00Z', 'active', '2026-01-01T00:00:00Z', embedding];
}

export const FACE_COLUMNS = 'vector_key, id, image_id, gallery_id, box, landmarks, quality, model_id, expires_at, status, created_at, embedding';

/** Inserts rows in batches of `batch` (one statement each). */
export async function insertFaces(client: pg.ClientBase, rows: unknown[][], batch = 200): Promise<void> {
  const width = FACE_COLUMNS.split(',').length;
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
    await client.query(`INSERT INTO faces (${FACE_COLUMNS}) VALUES ${values.join(', ')}`, chunk.flat());
  }
}
