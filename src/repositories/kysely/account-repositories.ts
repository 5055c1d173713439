import type { Kysely } from 'kysely';
import type { ApiKeyRecord, Client, ClientType, Role, User } from '../../domain/accounts.ts';
import type { ApiKeyRepository, ClientRepository, KeyListQuery, UserListQuery, UserRepository } from '../../ports/accounts-store.ts';
import type { CasesDatabase } from './cases-schema.ts';
import type { ApiKeysTable, ClientsTable, Database, UsersTable } from './schema.ts';

const clientFromRow = (r: ClientsTable): Client => ({
  id: r.id, name: r.name, type: r.type as ClientType, jurisdiction: r.jurisdiction, createdAt: r.created_at,
});

const userFromRow = (r: UsersTable): User => ({
  id: r.id, name: r.name, clientId: r.client_id, roles: JSON.parse(r.roles) as Role[], createdAt: r.created_at,
  ...(r.disabled_at ? { disabledAt: r.disabled_at } : {}),
});

const keyFromRow = (r: ApiKeysTable): ApiKeyRecord => ({
  prefix: r.prefix, userId: r.user_id, hash: r.hash, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
});

export class KyselyClientRepository implements ClientRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(c: Client): Promise<void> {
    await this.db.insertInto('clients')
      .values({ id: c.id, name: c.name, type: c.type, jurisdiction: c.jurisdiction, created_at: c.createdAt }).execute();
  }

  async findByName(name: string): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('name', '=', name).executeTakeFirst();
    return row && clientFromRow(row);
  }

  async findById(id: string): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row && clientFromRow(row);
  }

  async list(): Promise<Client[]> {
    return (await this.db.selectFrom('clients').selectAll().orderBy('name').execute()).map(clientFromRow);
  }

  async grantGallery(clientId: string, galleryId: string, at: string): Promise<void> {
    await this.db.insertInto('client_galleries').values({ client_id: clientId, gallery_id: galleryId, granted_at: at })
      .onConflict((oc) => oc.doNothing()).execute();
  }

  async grantedGalleryIds(clientId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('client_galleries').select('gallery_id').where('client_id', '=', clientId).execute();
    return rows.map((r) => r.gallery_id);
  }

  async revokeGallery(clientId: string, galleryId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('client_galleries').where('client_id', '=', clientId).where('gallery_id', '=', galleryId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(u: User): Promise<void> {
    await this.db.insertInto('users')
      .values({ id: u.id, name: u.name, client_id: u.clientId, roles: JSON.stringify(u.roles), created_at: u.createdAt }).execute();
  }

  async findByName(name: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row && userFromRow(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async listByClient(clientId: string): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().where('client_id', '=', clientId).orderBy('name').execute()).map(userFromRow);
  }

  async list(query: UserListQuery): Promise<User[]> {
    let select = this.db.selectFrom('users').selectAll();
    if (query.clientId !== undefined) select = select.where('client_id', '=', query.clientId);
    if (query.after !== undefined) select = select.where('name', '>', query.after);
    return (await select.orderBy('name').limit(query.limit).execute()).map(userFromRow);
  }

  async setRoles(id: string, roles: Role[]): Promise<void> {
    await this.db.updateTable('users').set({ roles: JSON.stringify(roles) }).where('id', '=', id).execute();
  }

  async setDisabled(id: string, at: string | null): Promise<void> {
    await this.db.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
  }

  async hasRecords(id: string): Promise<boolean> {
    const db = this.db as unknown as Kysely<CasesDatabase>;
    for (const table of ['searches', 'watches', 'lead_reviews'] as const) {
      if (await db.selectFrom(table).select('user_id').where('user_id', '=', id).limit(1).executeTakeFirst()) return true;
    }
    return false;
  }

  async delete(id: string): Promise<void> {
    for (const table of ['sessions', 'recovery_codes', 'user_credentials', 'api_keys'] as const) {
      await this.db.deleteFrom(table).where('user_id', '=', id).execute();
    }
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }
}

export class KyselyApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(k: ApiKeyRecord): Promise<void> {
    await this.db.insertInto('api_keys').values({
      prefix: k.prefix, user_id: k.userId, hash: k.hash, created_at: k.createdAt, expires_at: k.expiresAt, revoked_at: k.revokedAt,
    }).execute();
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
    return row && keyFromRow(row);
  }

  async revoke(prefix: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('api_keys').set({ revoked_at: at })
      .where('prefix', '=', prefix).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async list(query: KeyListQuery): Promise<ApiKeyRecord[]> {
    let select = this.db.selectFrom('api_keys').selectAll();
    if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
    // A prefix is hex (api-keys.ts); anything else would find nothing, and must not reach LIKE as a pattern.
    if (query.prefix !== undefined) select = select.where('prefix', 'like', `${query.prefix.replace(/[^0-9a-f]/g, '')}%`);
    return (await select.orderBy('created_at', 'desc').orderBy('prefix').limit(query.limit).execute()).map(keyFromRow);
  }
}
