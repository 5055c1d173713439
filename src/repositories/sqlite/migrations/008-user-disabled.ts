import { sql, type Kysely } from 'kysely';

// An admin may disable a user (docs/architecture.md, "Accounts over HTTP"): while set, none of the
// user's keys authenticates; clearing it lets their unexpired, unrevoked keys in again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN disabled_at TEXT`.execute(db);
}
