import type { Kysely } from 'kysely';
import type { Database } from '../kysely/schema.ts';
import type { RightsDatabase } from '../kysely/rights-schema.ts';

// The shared tables, with what PostgreSQL adds to them: each face row carries its embedding as a
// pgvector `vector(N)`, read and written as its text literal `[a,b,...]` (see vector-literal.ts).
// A type, not an interface: withTables() takes only types with an implicit index signature.
export type EmbeddingColumn = { faces: { embedding: string } };

type RightsTables = Omit<RightsDatabase, keyof Database>;

/** The store's tables as PostgreSQL holds them: the shared ones, the rights tables, faces.embedding. */
export const withPostgresTables = (db: Kysely<Database>) => db.withTables<RightsTables & EmbeddingColumn>();

export type PostgresKysely = ReturnType<typeof withPostgresTables>;

/**
 * The tables whose rows the store deletes, or rewrites leaving an old version behind, that hold
 * personal data (faces with their embeddings, images, subject requests whose template is set to
 * NULL when the request closes, the templates of watches that ended): what VACUUM and the physical
 * erasure must cover.
 */
export const TABLES_THAT_LOSE_ROWS = ['faces', 'images', 'subject_requests', 'watch_probes'] as const;
