import { CLIENT_TYPES, ROLES, type Client, type ClientType, type Role, type User } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
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
    const roles = [...new Set(input.roles.map((r) => r.trim()).filter(Boolean))];
    if (roles.length === 0) invalid(`A user needs at least one role: ${ROLES.join(', ')}`);
    const unknown = roles.find((r) => !ROLES.includes(r as Role));
    if (unknown) invalid(`Unknown role "${unknown}"; one of ${ROLES.join(', ')}`);
    const client = await this.clientByName(input.client);
    if (await this.store.accounts.users.findByName(name)) throw new LikenessError('LIKENESS_CONFLICT', `A user named "${name}" already exists`);
    const user: User = { id: this.ids.newId(), name, clientId: client.id, roles: roles as Role[], createdAt: this.now() };
    await this.audit.record({ actor, client: client.id, action: 'user.add', target: user.id, details: { name, roles } },
      (tx) => tx.accounts.users.create(user));
    const issued = await this.issueKey(user, client, input.keyDays ?? DEFAULT_KEY_DAYS, actor);
    return { user, client, ...issued };
  }

  /** A new key for an existing user; earlier keys stay valid until they expire or are revoked. */
  async newKey(userName: string, days: number, actor: string): Promise<Omit<NewUser, 'user' | 'client'>> {
    const user = await this.store.accounts.users.findByName(userName);
    if (!user) throw new LikenessError('LIKENESS_NOT_FOUND', `No user named "${userName}"`);
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

  async clientByName(name: string): Promise<Client> {
    const client = await this.store.accounts.clients.findByName(name);
    if (!client) throw new LikenessError('LIKENESS_NOT_FOUND', `No client named "${name}": add it with "likeness client add"`);
    return client;
  }

  listClients(): Promise<Client[]> {
    return this.store.accounts.clients.list();
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

function invalid(message: string): never {
  throw new LikenessError('LIKENESS_ACCOUNT_INVALID', message);
}
