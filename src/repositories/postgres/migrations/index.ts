import type { Migration, MigrationProvider } from 'kysely';
import { catalogue } from './001-catalogue.ts';
import * as accountsAudit from './002-accounts-audit.ts';
import * as subjectRights from './003-subject-rights.ts';
import * as pendingRemovals from './004-pending-removals.ts';
import * as casework from './005-casework.ts';
import * as searchKinds from './006-search-kinds.ts';
import * as userDisabled from './007-user-disabled.ts';
import * as credentials from './008-credentials.ts';

// Listed in code, not discovered on disk, as SQLite's. The embedding's dimension is fixed when the
// faces table is created: a store opened later reads it back from the table.
export function migrationProvider(dimension: number): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '001-catalogue': catalogue(dimension),
    '002-accounts-audit': accountsAudit,
    '003-subject-rights': subjectRights,
    '004-pending-removals': pendingRemovals,
    '005-casework': casework,
    '006-search-kinds': searchKinds,
    '007-user-disabled': userDisabled,
    '008-credentials': credentials,
  };
  return { getMigrations: async () => migrations };
}
