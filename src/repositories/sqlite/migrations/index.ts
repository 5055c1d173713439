import type { Migration, MigrationProvider } from 'kysely';
import * as catalogue from './001-catalogue.ts';
import * as accountsAudit from './002-accounts-audit.ts';
import * as imagePolicyDecision from './003-image-policy-decision.ts';
import * as subjectRights from './004-subject-rights.ts';
import * as faceChanges from './005-face-changes.ts';
import * as casework from './006-casework.ts';
import * as searchKinds from './007-search-kinds.ts';
import * as userDisabled from './008-user-disabled.ts';
import * as credentials from './009-credentials.ts';

// Migrations are listed in code, not discovered on disk, so they run the same under tsx and in tests.
const migrations: Record<string, Migration> = {
  '001-catalogue': catalogue,
  '002-accounts-audit': accountsAudit,
  '003-image-policy-decision': imagePolicyDecision,
  '004-subject-rights': subjectRights,
  '005-face-changes': faceChanges,
  '006-casework': casework,
  '007-search-kinds': searchKinds,
  '008-user-disabled': userDisabled,
  '009-credentials': credentials,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
