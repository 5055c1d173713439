import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import { keySecretMatches, parseKey } from './api-keys.ts';
import { AuthThrottle } from './auth-throttle.ts';

const CACHE_LIMIT = 10_000;
// Checked against when the prefix is unknown, so an unknown key costs the same time as a wrong
// secret and the answer's timing does not tell which prefixes exist (keys hashed with scrypt before
// keys were SHA-256-hashed take longer to refuse; their prefixes are 48 random bits all the same).
const DECOY_HASH = `sha256$${'00'.repeat(16)}$${'00'.repeat(32)}`;

/** The one answer to every bad credential: which of them it was is for the audit, not the caller. */
export const BAD_CREDENTIAL_MESSAGE = 'Authentication failed: this key is not valid, has expired or was revoked';

/**
 * Turns a bearer key into the user and client behind it. Revocation and expiry are read from
 * the store on every request; only the hash check is remembered, by a digest of the secret.
 * Failures are counted per address and key prefix, with back-off, and audited per burst
 * (auth-throttle.ts); every bad credential gets the same answer.
 */
export class Authenticator {
  private readonly verified = new Map<string, string>();
  readonly throttle: AuthThrottle;

  constructor(private readonly store: Store, audit: AuditService, private readonly clock: Clock, throttle?: AuthThrottle) {
    this.throttle = throttle ?? new AuthThrottle(audit, clock);
  }

  async authenticate(presented: string | undefined, context: { ip?: string } = {}): Promise<Principal> {
    if (!presented) throw new LikenessError('LIKENESS_UNAUTHENTICATED');
    const parsed = parseKey(presented);
    await this.throttle.admit(context.ip, parsed?.prefix ?? null);
    if (!parsed) return this.fail('malformed key', null, context);
    const record = await this.store.accounts.keys.findByPrefix(parsed.prefix);
    if (!record) {
      await keySecretMatches(parsed.secret, DECOY_HASH);
      return this.fail('unknown key', parsed.prefix, context);
    }
    if (!(await this.secretOk(parsed.prefix, parsed.secret, record.hash))) return this.fail('wrong secret', parsed.prefix, context);
    if (record.revokedAt) return this.fail('revoked key', parsed.prefix, context);
    if (record.expiresAt <= this.clock.now().toISOString()) return this.fail('expired key', parsed.prefix, context);
    const user = await this.store.accounts.users.findById(record.userId);
    const client = user && (await this.store.accounts.clients.findById(user.clientId));
    if (!user || !client) return this.fail('key without a user', parsed.prefix, context);
    if (user.disabledAt) return this.fail('disabled user', parsed.prefix, context);
    this.throttle.succeeded(parsed.prefix);
    return { user, client, keyPrefix: parsed.prefix };
  }

  private async secretOk(prefix: string, secret: string, hash: string): Promise<boolean> {
    const digest = createHash('sha256').update(secret).digest('hex');
    if (this.verified.get(prefix) === digest) return true;
    if (!(await keySecretMatches(secret, hash))) return false;
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(prefix, digest);
    return true;
  }

  private async fail(reason: string, prefix: string | null, context: { ip?: string }): Promise<never> {
    await this.throttle.failed(context.ip, prefix, reason);
    throw new LikenessError('LIKENESS_UNAUTHENTICATED', BAD_CREDENTIAL_MESSAGE);
  }
}
