import type { Kysely } from 'kysely';
import type { AccountsRepositories, AccountsStore } from '../accounts-store.ts';
import type { Database } from './schema.ts';
import { KyselyApiKeyRepository, KyselyClientRepository, KyselyUserRepository } from './account-repositories.ts';
import { KyselyAuditRepository } from './audit-repository.ts';
import { KyselySearchLogRepository } from './search-log-repository.ts';

/**
 * How a store runs a unit of work in one write transaction that no other process can interleave
 * with between reading the audit chain's last hash and appending after it. Each dialect locks
 * its own way (SQLite: BEGIN IMMEDIATE; PostgreSQL: a lock on audit_log).
 */
export type WriteTransaction = <T>(work: (tx: Kysely<Database>) => Promise<T>) => Promise<T>;

function repositories(db: Kysely<Database>): AccountsRepositories {
  return {
    clients: new KyselyClientRepository(db),
    users: new KyselyUserRepository(db),
    keys: new KyselyApiKeyRepository(db),
    searches: new KyselySearchLogRepository(db),
    audit: new KyselyAuditRepository(db),
  };
}

export class KyselyAccountsStore implements AccountsStore {
  readonly clients;
  readonly users;
  readonly keys;
  readonly searches;
  readonly audit;

  constructor(db: Kysely<Database>, private readonly writeTransaction: WriteTransaction) {
    ({ clients: this.clients, users: this.users, keys: this.keys, searches: this.searches, audit: this.audit } = repositories(db));
  }

  async atomically<T>(work: (tx: AccountsRepositories) => Promise<T>): Promise<T> {
    return this.writeTransaction((tx) => work(repositories(tx)));
  }
}
