import type { Kysely } from 'kysely';
import { createCredentialTables } from '../../kysely/migrations/shared-tables.ts';

// People sign in with a password and a second factor, and hold sessions (docs/architecture.md, "Authentication").
export async function up(db: Kysely<unknown>): Promise<void> {
  await createCredentialTables(db);
}
