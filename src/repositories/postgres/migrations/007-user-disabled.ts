import { sql, type Kysely } from 'kysely';

// An admin may disable a user (docs/architecture.md, "Accounts over HTTP"), as on SQLite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN disabled_at text`.execute(db);
}
