import { sql, type Kysely } from 'kysely';
import type { AccountsRepositories, AccountsStore } from '../accounts-store.ts';
import type { Database } from './schema.ts';
import { SqliteApiKeyRepository, SqliteClientRepository, SqliteUserRepository } from './sqlite-account-repositories.ts';
import { SqliteAuditRepository } from './sqlite-audit-repository.ts';
import { SqliteSearchLogRepository } from './sqlite-search-log-repository.ts';

function repositories(db: Kysely<Database>): AccountsRepositories {
  return {
    clients: new SqliteClientRepository(db),
    users: new SqliteUserRepository(db),
    keys: new SqliteApiKeyRepository(db),
    searches: new SqliteSearchLogRepository(db),
    audit: new SqliteAuditRepository(db),
  };
}

export class SqliteAccountsStore implements AccountsStore {
  readonly clients;
  readonly users;
  readonly keys;
  readonly searches;
  readonly audit;

  constructor(private readonly db: Kysely<Database>) {
    ({ clients: this.clients, users: this.users, keys: this.keys, searches: this.searches, audit: this.audit } = repositories(db));
  }

  async atomically<T>(work: (tx: AccountsRepositories) => Promise<T>): Promise<T> {
    // One connection held for the whole unit; IMMEDIATE takes the write lock before the chain's
    // last hash is read, so another process cannot append between the read and the insert.
    return this.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const result = await work(repositories(conn));
        await sql`COMMIT`.execute(conn);
        return result;
      } catch (error) {
        await sql`ROLLBACK`.execute(conn);
        throw error;
      }
    });
  }
}
