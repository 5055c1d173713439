import { sql, type Kysely } from 'kysely';

// Faces deleted per gallery since the last physical erasure (pending-removals.ts): in the database,
// so every process applies the compaction policy to the same figures.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE pending_removals (
    gallery_id text PRIMARY KEY,
    count bigint NOT NULL,
    first_at text NOT NULL
  )`.execute(db);
}
