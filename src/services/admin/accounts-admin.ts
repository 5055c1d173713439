import { auditIdentity, type Actor, type ApiKeyRecord, type Client, type User } from '../../domain/accounts.ts';
import type { Gallery } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { AccountsService, NewUser } from '../accounts/accounts-service.ts';
import type { CredentialsService, SecondFactorEnrolment } from '../accounts/credentials.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import type { CatalogueService } from '../catalogue-service.ts';

export interface ClientView extends Client {
  /** Names of the galleries the client's users may search. */
  galleries: string[];
}

export interface UserView extends User {
  clientName: string;
}

/** A key as an admin sees it: never its hash, and the secret only once, when issued. */
export type KeyView = Omit<ApiKeyRecord, 'hash'> & { userName: string | null };

export interface Page {
  limit: number;
}

/**
 * Clients, gallery grants, users, roles and keys as an admin manages them over HTTP
 * (docs/architecture.md, "Accounts over HTTP"). Every call is decided by the one authorisation
 * function for its actor, then done by the accounts service, which writes each change with its
 * audit entry in one store transaction.
 */
export class AccountsAdmin {
  constructor(
    private readonly accounts: AccountsService,
    private readonly catalogue: CatalogueService,
    private readonly authoriser: Authoriser,
    private readonly credentials: CredentialsService,
  ) {}

  async listClients(who: Actor): Promise<ClientView[]> {
    await this.authoriser.require(who, 'accounts.read');
    const galleryName = new Map((await this.catalogue.listGalleries()).map((g) => [g.id, g.name]));
    const clients = await this.accounts.listClients();
    return Promise.all(clients.map(async (c) => ({
      ...c, galleries: (await this.accounts.grantedGalleryIds(c.id)).map((id) => galleryName.get(id) ?? id).sort(),
    })));
  }

  /** The galleries a client can be granted. */
  async listGalleries(who: Actor): Promise<Gallery[]> {
    await this.authoriser.require(who, 'accounts.read');
    return this.catalogue.listGalleries();
  }

  async addClient(who: Actor, input: { name: string; type: string; jurisdiction: string }): Promise<ClientView> {
    await this.authoriser.require(who, 'accounts.write');
    return { ...(await this.accounts.addClient(input, actorOf(who))), galleries: [] };
  }

  async grantGallery(who: Actor, client: string, gallery: string): Promise<void> {
    await this.authoriser.require(who, 'accounts.write');
    await this.accounts.grantGallery(client, gallery, actorOf(who));
  }

  async revokeGallery(who: Actor, client: string, gallery: string): Promise<void> {
    await this.authoriser.require(who, 'accounts.write');
    await this.accounts.revokeGallery(client, gallery, actorOf(who));
  }

  async listUsers(who: Actor, query: Page & { client?: string; after?: string }): Promise<UserView[]> {
    await this.authoriser.require(who, 'accounts.read');
    const clientId = query.client === undefined ? undefined : (await this.accounts.clientByName(query.client)).id;
    const users = await this.accounts.listUsers({ limit: query.limit, ...(clientId ? { clientId } : {}), ...(query.after ? { after: query.after } : {}) });
    return this.withClientNames(users);
  }

  /** The user and their first key, whose secret is in the answer once and nowhere else. */
  async addUser(who: Actor, input: { name: string; client: string; roles: string[]; keyDays?: number }): Promise<NewUser> {
    await this.authoriser.require(who, 'accounts.write');
    return this.accounts.addUser(input, actorOf(who));
  }

  async setRoles(who: Actor, user: string, roles: string[]): Promise<UserView> {
    await this.authoriser.require(who, 'accounts.write');
    return (await this.withClientNames([await this.accounts.setRoles(user, roles, actorOf(who))]))[0]!;
  }

  async setDisabled(who: Actor, user: string, disabled: boolean): Promise<UserView> {
    await this.authoriser.require(who, 'accounts.write');
    return (await this.withClientNames([await this.accounts.setDisabled(user, disabled, actorOf(who))]))[0]!;
  }

  async deleteUser(who: Actor, user: string): Promise<void> {
    await this.authoriser.require(who, 'accounts.write');
    await this.accounts.deleteUser(user, actorOf(who));
  }

  /** Keys of one user, or whose prefix starts so, newest first. */
  async listKeys(who: Actor, query: Page & { user?: string; prefix?: string }): Promise<KeyView[]> {
    await this.authoriser.require(who, 'accounts.read');
    if (query.user === undefined && query.prefix === undefined) throw new LikenessError('LIKENESS_BAD_INPUT', 'Name a user or a key prefix');
    const user = query.user === undefined ? undefined : await this.accounts.userByName(query.user);
    const keys = await this.accounts.listKeys({ limit: query.limit, ...(user ? { userId: user.id } : {}), ...(query.prefix ? { prefix: query.prefix } : {}) });
    const names = new Map<string, string | null>();
    for (const id of new Set(keys.map((k) => k.userId))) names.set(id, id === user?.id ? user.name : (await this.accounts.userById(id))?.name ?? null);
    return keys.map((k) => ({
      prefix: k.prefix, userId: k.userId, userName: names.get(k.userId) ?? null, createdAt: k.createdAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt,
    }));
  }

  async issueKey(who: Actor, user: string, days: number): Promise<Omit<NewUser, 'user' | 'client'>> {
    await this.authoriser.require(who, 'accounts.write');
    return this.accounts.newKey(user, days, actorOf(who));
  }

  async revokeKey(who: Actor, prefix: string): Promise<void> {
    await this.authoriser.require(who, 'accounts.write');
    await this.accounts.revokeKey(prefix, actorOf(who));
  }

  /** A lost phone: a new TOTP secret and recovery codes, shown in this answer once; the old ones and every session of the user end. */
  async resetSecondFactor(who: Actor, user: string): Promise<SecondFactorEnrolment> {
    await this.authoriser.require(who, 'accounts.write');
    return this.credentials.resetSecondFactor(who, user);
  }

  private async withClientNames(users: User[]): Promise<UserView[]> {
    const clientName = new Map((await this.accounts.listClients()).map((c) => [c.id, c.name]));
    return users.map((u) => ({ ...u, clientName: clientName.get(u.clientId) ?? u.clientId }));
  }
}

function actorOf(who: Actor): string {
  return auditIdentity(who).actor;
}
