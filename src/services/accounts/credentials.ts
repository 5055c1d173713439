import { auditIdentity, isLocalOperator, type Actor, type User } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import { hashSecret } from './api-keys.ts';
import { checkPassword } from './passwords.ts';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.ts';
import { base32Encode, otpauthUri } from './totp.ts';

/** 160 bits, the HMAC-SHA1 block's natural key length (RFC 4226, section 4). */
const TOTP_SECRET_BYTES = 20;
export const TOTP_ISSUER = 'likeness';

/** What an enrolment shows once: the secret for the authenticator app, and the recovery codes. */
export interface SecondFactorEnrolment {
  user: User;
  /** base32, as the URI carries it: for apps that take it typed in. */
  secret: string;
  /** `otpauth://totp/...`: what the app reads, usually from a QR code. */
  uri: string;
  recoveryCodes: string[];
}

/**
 * People's passwords and second factors (docs/architecture.md, "Authentication"). Each change is
 * audited with the account change in one transaction, and ends every open session of the user:
 * a password or factor that may have leaked must not leave a session it opened alive.
 */
export class CredentialsService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomBytes,
    private readonly authoriser: Authoriser,
  ) {}

  async setPassword(actor: Actor, userRef: string, password: string): Promise<User> {
    const user = await this.manageable(actor, userRef);
    const hash = await hashSecret(checkPassword(password, user.name), this.random);
    const at = this.now();
    await this.audit.record({ ...auditIdentity(actor), action: 'user.password', target: user.id, details: { user: user.name } }, async (tx) => {
      await tx.accounts.credentials.setPassword(user.id, hash, at);
      await tx.accounts.sessions.revokeForUser(user.id, at);
    });
    return user;
  }

  /** Enrols a user's first second factor; refused when one is enrolled (see resetSecondFactor). */
  async enrolSecondFactor(actor: Actor, userRef: string): Promise<SecondFactorEnrolment> {
    const user = await this.manageable(actor, userRef);
    if ((await this.store.accounts.credentials.find(user.id))?.totpSecret) {
      throw new LikenessError('LIKENESS_CONFLICT', `User ${user.name} already has a second factor; replace it with --reset`);
    }
    return this.enrol(actor, user, 'user.totp.enrol');
  }

  /**
   * Replaces a user's second factor (a lost phone): a new secret and new recovery codes, the old
   * ones dead at once, every session of the user ended. The use case the CLI's `user totp --reset`
   * calls, and that managing accounts over HTTP is to call.
   */
  async resetSecondFactor(actor: Actor, userRef: string): Promise<SecondFactorEnrolment> {
    return this.enrol(actor, await this.manageable(actor, userRef), 'user.totp.reset');
  }

  private async enrol(actor: Actor, user: User, action: string): Promise<SecondFactorEnrolment> {
    const secret = base32Encode(this.random.bytes(TOTP_SECRET_BYTES));
    const recoveryCodes = newRecoveryCodes(this.random);
    const at = this.now();
    await this.audit.record({ ...auditIdentity(actor), action, target: user.id, details: { user: user.name, recoveryCodes: recoveryCodes.length } }, async (tx) => {
      await tx.accounts.credentials.setTotp(user.id, secret, at);
      await tx.accounts.credentials.replaceRecoveryCodes(user.id, recoveryCodes.map((code) => recoveryCodeHash(user.id, code)), at);
      await tx.accounts.sessions.revokeForUser(user.id, at);
    });
    return { user, secret, uri: otpauthUri(TOTP_ISSUER, user.name, secret), recoveryCodes };
  }

  /**
   * The user named (or by id), if the actor may manage their credentials: the local operator
   * (the CLI on the server) may. A client's user over HTTP may not, until accounts are managed
   * over HTTP by a role made for it (docs/architecture.md, "Authentication").
   */
  private async manageable(actor: Actor, userRef: string): Promise<User> {
    // The operator on the server bootstraps; over HTTP only the controller's admins manage accounts.
    if (!isLocalOperator(actor)) await this.authoriser.require(actor, 'accounts.write');
    const user = (await this.store.accounts.users.findByName(userRef)) ?? (await this.store.accounts.users.findById(userRef));
    if (!user) throw new LikenessError('LIKENESS_NOT_FOUND', `No user named "${userRef}"`);
    return user;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
