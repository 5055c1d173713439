import type { Kysely } from 'kysely';
import { createCaseworkTables } from '../../kysely/migrations/shared-tables.ts';

// Lead reviews, watches with their probes, hits and alert outbox; indexes on image URLs (as SQLite's 005).
export async function up(db: Kysely<unknown>): Promise<void> {
  await createCaseworkTables(db, 'double precision', 'bytea');
}
