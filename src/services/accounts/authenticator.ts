import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import { parseKey, secretMatches } from './api-keys.ts';

const CACHE_LIMIT = 10_000;

/**
 * Turns a bearer key into the user and client behind it. Revocation and expiry are read from
 * the store on every request; only the scrypt check is remembered, by a digest of the secret.
 * Every failure is audited as a login failure, naming the key prefix when there is one.
 */
export class Authenticator {
  private readonly verified = new Map<string, string>();

  constructor(private readonly store: Store, private readonly audit: AuditService, private readonly clock: Clock) {}

  async authenticate(presented: string | undefined, context: { ip?: string } = {}): Promise<Principal> {
    if (!presented) throw new LikenessError('LIKENESS_UNAUTHENTICATED');
    const parsed = parseKey(presented);
    if (!parsed) return this.fail('malformed key', null, context);
    const record = await this.store.accounts.keys.findByPrefix(parsed.prefix);
    if (!record) return this.fail('unknown key', parsed.prefix, context);
    if (!(await this.secretOk(parsed.prefix, parsed.secret, record.hash))) return this.fail('wrong secret', parsed.prefix, context);
    if (record.revokedAt) return this.fail('revoked key', parsed.prefix, context);
    if (record.expiresAt <= this.clock.now().toISOString()) return this.fail('expired key', parsed.prefix, context);
    const user = await this.store.accounts.users.findById(record.userId);
    const client = user && (await this.store.accounts.clients.findById(user.clientId));
    if (!user || !client) return this.fail('key without a user', parsed.prefix, context);
    return { user, client, keyPrefix: parsed.prefix };
  }

  private async secretOk(prefix: string, secret: string, hash: string): Promise<boolean> {
    const digest = createHash('sha256').update(secret).digest('hex');
    if (this.verified.get(prefix) === digest) return true;
    if (!(await secretMatches(secret, hash))) return false;
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(prefix, digest);
    return true;
  }

  private async fail(reason: string, prefix: string | null, context: { ip?: string }): Promise<never> {
    await this.audit.record({ actor: 'anonymous', client: null, action: 'auth.failure', target: prefix, details: { reason, ...(context.ip ? { ip: context.ip } : {}) } });
    throw new LikenessError('LIKENESS_UNAUTHENTICATED', `Authentication failed: ${reason}`);
  }
}
