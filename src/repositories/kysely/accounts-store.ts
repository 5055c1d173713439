import type { Kysely } from 'kysely';
import type { AccountsRepositories } from '../../ports/accounts-store.ts';
import type { Database } from './schema.ts';
import { KyselyApiKeyRepository, KyselyClientRepository, KyselyUserRepository } from './account-repositories.ts';
import { KyselyCredentialRepository, KyselySessionRepository } from './credential-repositories.ts';
import { KyselyAuditRepository } from './audit-repository.ts';
import { KyselySearchLogRepository } from './search-log-repository.ts';

/** Clients, users, keys, searches and the audit chain over one Kysely instance (the pool, or a transaction). */
export function accountRepositories(db: Kysely<Database>): AccountsRepositories {
  return {
    clients: new KyselyClientRepository(db),
    users: new KyselyUserRepository(db),
    keys: new KyselyApiKeyRepository(db),
    credentials: new KyselyCredentialRepository(db),
    sessions: new KyselySessionRepository(db),
    searches: new KyselySearchLogRepository(db),
    audit: new KyselyAuditRepository(db),
  };
}
