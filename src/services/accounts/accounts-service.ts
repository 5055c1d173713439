import { CLIENT_TYPES, ROLES, type ApiKeyRecord, type AuditEntry, type Client, type ClientType, type Role, type User } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { KeyListQuery, UserListQuery } from '../../ports/accounts-store.ts';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import { issueKey } from './api-keys.ts';

const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const NAME = /^[\w.@-]{1,100}$/;
const DAY_MS = 86_400_000;
export const DEFAULT_KEY_DAYS = 90;

export interface NewUser {
  user: User;
  client: Client;
  /** The API key, in full: it is shown once and cannot be recovered. */
  key: string;
  keyPrefix: string;
  keyExpiresAt: string;
}

/** Client organisations, their users and roles, and the users' API keys; every change is audited. */
export class AccountsService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly random: RandomBytes,
    /** Whether a client is the controller named in the policy: its admins are the ones that must not all go. */
    private readonly isController: (client: Client) => boolean = () => false,
  ) {}

  async addClient(input: { name: string; type: string; jurisdiction: string }, actor: string): Promise<Client> {
    const name = checkName(input.name, 'client');
    if (!CLIENT_TYPES.includes(input.type as ClientType)) invalid(`Unknown client type "${input.type}"; one of ${CLIENT_TYPES.join(', ')}`);
    const jurisdiction = input.jurisdiction.trim().toUpperCase();
    if (!JURISDICTION.test(jurisdiction)) invalid(`"${input.jurisdiction}" is not an ISO 3166 code such as FR or US-IL`);
    if (await this.store.accounts.clients.findByName(name)) throw new LikenessError('LIKENESS_CONFLICT', `A client named "${name}" already exists`);
    const client: Client = { id: this.ids.newId(), name, type: input.type as ClientType, jurisdiction, createdAt: this.now() };
    await this.audit.record({ actor, client: client.id, action: 'client.add', target: client.id, details: { name, type: client.type, jurisdiction } },
      (tx) => tx.accounts.clients.create(client));
    return client;
  }

  async grantGallery(clientName: string, galleryName: string, actor: string): Promise<void> {
    const client = await this.clientByName(clientName);
    const gallery = await this.store.galleries.findByName(galleryName);
    if (!gallery) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${galleryName}"`);
    await this.audit.record({ actor, client: client.id, action: 'client.grant', target: gallery.id, details: { gallery: gallery.name } },
      (tx) => tx.accounts.clients.grantGallery(client.id, gallery.id, this.now()));
  }

  async grantedGalleryIds(clientId: string): Promise<string[]> {
    return this.store.accounts.clients.grantedGalleryIds(clientId);
  }

  async addUser(input: { name: string; client: string; roles: string[]; keyDays?: number }, actor: string): Promise<NewUser> {
    const name = checkName(input.name, 'user');
    const roles = checkRoles(input.roles);
    const client = await this.clientByName(input.client);
    if (await this.store.accounts.users.findByName(name)) throw new LikenessError('LIKENESS_CONFLICT', `A user named "${name}" already exists`);
    const user: User = { id: this.ids.newId(), name, clientId: client.id, roles, createdAt: this.now() };
    await this.audit.record({ actor, client: client.id, action: 'user.add', target: user.id, details: { name, roles } },
      (tx) => tx.accounts.users.create(user));
    const issued = await this.issueKey(user, client, input.keyDays ?? DEFAULT_KEY_DAYS, actor);
    return { user, client, ...issued };
  }

  /** A new key for an existing user; earlier keys stay valid until they expire or are revoked. */
  async newKey(userName: string, days: number, actor: string): Promise<Omit<NewUser, 'user' | 'client'>> {
    const user = await this.userByName(userName);
    if (user.disabledAt) throw new LikenessError('LIKENESS_CONFLICT', `User ${user.name} is disabled: enable them before issuing a key`);
    const client = (await this.store.accounts.clients.findById(user.clientId))!;
    return this.issueKey(user, client, days, actor);
  }

  async revokeKey(prefix: string, actor: string): Promise<void> {
    const key = await this.store.accounts.keys.findByPrefix(prefix.replace(/^lk_/, '').split('_')[0] ?? '');
    if (!key) throw new LikenessError('LIKENESS_NOT_FOUND', `No API key with prefix "${prefix}"`);
    const user = await this.store.accounts.users.findById(key.userId);
    await this.audit.record({ actor, client: user?.clientId ?? null, action: 'key.revoke', target: key.prefix, details: { user: key.userId } },
      async (tx) => {
        if (!(await tx.accounts.keys.revoke(key.prefix, this.now()))) throw new LikenessError('LIKENESS_CONFLICT', `API key ${key.prefix} is already revoked`);
      });
  }

  /** Withdraws a client's grant of a gallery: its users search it no more from the next request. */
  async revokeGallery(clientName: string, galleryName: string, actor: string): Promise<void> {
    const client = await this.clientByName(clientName);
    const gallery = await this.store.galleries.findByName(galleryName);
    if (!gallery) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${galleryName}"`);
    await this.audit.record({ actor, client: client.id, action: 'client.revoke', target: gallery.id, details: { gallery: gallery.name } }, async (tx) => {
      if (!(await tx.accounts.clients.revokeGallery(client.id, gallery.id))) throw new LikenessError('LIKENESS_NOT_FOUND', `Client ${client.name} is not granted ${gallery.name}`);
    });
  }

  /** Replaces a user's roles; the controller keeps at least one enabled admin. */
  async setRoles(userName: string, roles: string[], actor: string): Promise<User> {
    const wanted = checkRoles(roles);
    return this.changeUser(userName, actor, 'user.roles', (user) => ({ ...user, roles: wanted }), async (tx, before) => {
      await tx.accounts.users.setRoles(before.id, wanted);
      return { from: before.roles, to: wanted };
    });
  }

  /** None of a disabled user's keys authenticates until they are enabled again; the controller keeps at least one enabled admin. */
  async setDisabled(userName: string, disabled: boolean, actor: string): Promise<User> {
    const at = disabled ? this.now() : null;
    return this.changeUser(userName, actor, disabled ? 'user.disable' : 'user.enable', (user) => withDisabled(user, at), async (tx, before) => {
      if (Boolean(before.disabledAt) === disabled) throw new LikenessError('LIKENESS_CONFLICT', `User ${before.name} is already ${disabled ? 'disabled' : 'enabled'}`);
      await tx.accounts.users.setDisabled(before.id, at);
      return {};
    });
  }

  /**
   * Removes a user and their keys. A user named by a search, watch or lead review stays, so the
   * record keeps who made it: such a user can be disabled, not deleted.
   */
  async deleteUser(userName: string, actor: string): Promise<void> {
    await this.changeUser(userName, actor, 'user.delete', () => undefined, async (tx, before) => {
      if (await tx.accounts.users.hasRecords(before.id)) {
        throw new LikenessError('LIKENESS_CONFLICT', `User ${before.name} made searches or reviews that stay on record: disable the user instead`);
      }
      await tx.accounts.users.delete(before.id);
      return { roles: before.roles };
    });
  }

  listUsers(query: UserListQuery): Promise<User[]> {
    return this.store.accounts.users.list(query);
  }

  listKeys(query: KeyListQuery): Promise<ApiKeyRecord[]> {
    return this.store.accounts.keys.list(query);
  }

  async userByName(name: string): Promise<User> {
    const user = await this.store.accounts.users.findByName(name);
    if (!user) throw new LikenessError('LIKENESS_NOT_FOUND', `No user named "${name}"`);
    return user;
  }

  userById(id: string): Promise<User | undefined> {
    return this.store.accounts.users.findById(id);
  }

  async clientByName(name: string): Promise<Client> {
    const client = await this.store.accounts.clients.findByName(name);
    if (!client) throw new LikenessError('LIKENESS_NOT_FOUND', `No client named "${name}": add it with "likeness client add"`);
    return client;
  }

  listClients(): Promise<Client[]> {
    return this.store.accounts.clients.list();
  }

  /**
   * One change to one user, read, checked and written with its audit entry in one transaction, so
   * two admins removing each other at once cannot both pass the last-admin check.
   */
  private async changeUser(
    userName: string, actor: string, action: string,
    after: (user: User) => User | undefined,
    write: (tx: StoreRepositories, before: User) => Promise<Record<string, unknown>>,
  ): Promise<User> {
    const entries: AuditEntry[] = [];
    const result = await this.store.transaction(async (tx) => {
      const before = await tx.accounts.users.findByName(userName);
      if (!before) throw new LikenessError('LIKENESS_NOT_FOUND', `No user named "${userName}"`);
      const changed = after(before);
      await this.keepAnAdmin(tx, before, changed);
      const details = await write(tx, before);
      entries.push(await this.audit.append(tx, { actor, client: before.clientId, action, target: before.id, details: { user: before.name, ...details } }));
      return changed ?? before;
    });
    this.audit.committed(entries);
    return result;
  }

  /** Refuses a change that leaves the controller without an enabled admin when it had one. */
  private async keepAnAdmin(tx: StoreRepositories, before: User, after: User | undefined): Promise<void> {
    const client = await tx.accounts.clients.findById(before.clientId);
    if (!client || !this.isController(client) || !isActiveAdmin(before) || (after && isActiveAdmin(after))) return;
    const admins = (await tx.accounts.users.listByClient(client.id)).filter(isActiveAdmin);
    if (admins.every((u) => u.id === before.id)) {
      throw new LikenessError('LIKENESS_LAST_ADMIN', `${before.name} is the last admin of ${client.name}, the controller: make another user admin first`);
    }
  }

  private async issueKey(user: User, client: Client, days: number, actor: string) {
    if (!Number.isInteger(days) || days < 1 || days > 3650) invalid(`A key lives from 1 to 3650 days, not ${days}`);
    const issued = await issueKey(this.random);
    const createdAt = this.now();
    const expiresAt = new Date(this.clock.now().getTime() + days * DAY_MS).toISOString();
    await this.audit.record({ actor, client: client.id, action: 'key.issue', target: issued.prefix, details: { user: user.id, expiresAt } },
      (tx) => tx.accounts.keys.create({ prefix: issued.prefix, userId: user.id, hash: issued.hash, createdAt, expiresAt, revokedAt: null }));
    return { key: issued.key, keyPrefix: issued.prefix, keyExpiresAt: expiresAt };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function checkName(raw: string, what: string): string {
  const name = raw.trim();
  if (!NAME.test(name)) invalid(`A ${what} name is 1 to 100 letters, digits, or . _ @ -; got "${raw}"`);
  return name;
}

function checkRoles(raw: readonly string[]): Role[] {
  const roles = [...new Set(raw.map((r) => r.trim()).filter(Boolean))];
  if (roles.length === 0) invalid(`A user needs at least one role: ${ROLES.join(', ')}`);
  const unknown = roles.find((r) => !ROLES.includes(r as Role));
  if (unknown) invalid(`Unknown role "${unknown.slice(0, 40)}"; one of ${ROLES.join(', ')}`);
  return roles as Role[];
}

const isActiveAdmin = (user: User) => user.roles.includes('admin') && !user.disabledAt;

function withDisabled(user: User, at: string | null): User {
  const rest = { ...user };
  delete rest.disabledAt;
  return at ? { ...rest, disabledAt: at } : rest;
}

function invalid(message: string): never {
  throw new LikenessError('LIKENESS_ACCOUNT_INVALID', message);
}
