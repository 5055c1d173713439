import type { Kysely } from 'kysely';
import { createCaseworkTables } from '../../kysely/migrations/shared-tables.ts';

// Lead reviews, watches with their probes, hits and alert outbox; indexes on image URLs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createCaseworkTables(db, 'real', 'blob');
}
