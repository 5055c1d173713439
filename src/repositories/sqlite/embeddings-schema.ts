// SQLite keeps each face's embedding in a table of its own, beside the shared faces table: float32
// little-endian bytes, deleted with the face.
export interface FaceEmbeddingsTable { vector_key: number; vector: Buffer }

// A type, not an interface: withTables() takes only types with an implicit index signature.
export type EmbeddingsDatabase = { face_embeddings: FaceEmbeddingsTable };
