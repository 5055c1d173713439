import { sql, type Kysely } from 'kysely';

// Comparisons and detections are counted against the rate limits and quotas like searches
// (docs/architecture.md, "Accountable searches"): each leaves a row of its kind in the search log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE searches ADD COLUMN kind TEXT NOT NULL DEFAULT 'search'`.execute(db);
}
