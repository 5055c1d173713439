import type { Migration, MigrationProvider } from 'kysely';
import * as catalogue from './001-catalogue.ts';
import * as accountsAudit from './002-accounts-audit.ts';

// Migrations are listed in code, not discovered on disk, so they run the same under tsx and in tests.
const migrations: Record<string, Migration> = {
  '001-catalogue': catalogue,
  '002-accounts-audit': accountsAudit,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
