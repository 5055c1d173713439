import type { Principal, SessionRecord, User } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { secretMatches } from './api-keys.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';
import { looksLikeRecoveryCode, matchRecoveryCode } from './recovery-codes.ts';
import { csrfTokenOf, newSessionToken, sessionIdOf } from './session-tokens.ts';
import { base32Decode, matchTotp } from './totp.ts';

/** A session ends after this long unused (OWASP ASVS 3.3.2). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** And after this long whatever its use. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** A session's last use is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;
// Checked against when there is no such user or no password, so the answer's timing does not tell which names exist.
const DECOY_HASH = `scrypt$16384$8$1$${'00'.repeat(16)}$${'00'.repeat(32)}`;

/** The one answer to every bad sign-in: which part was wrong is for the audit, not the caller. */
export const SIGN_IN_FAILED_MESSAGE = 'Sign-in failed: the name, password or code is not right';

export interface SignInRequest {
  /** The user's name, or their id. */
  user: string;
  password: string;
  /** The authenticator app's six digits, or one recovery code. */
  code?: string;
}

export interface SignInContext {
  ip?: string;
  /** The session cookie the browser still holds, if any: it is ended, never carried over. */
  previousToken?: string;
}

export interface OpenedSession {
  /** The cookie's value: handed to the browser once, never stored. */
  token: string;
  /** Sent back in X-CSRF-Token with every change the session makes. */
  csrfToken: string;
  session: SessionRecord;
  principal: Principal;
}

type SecondFactor = 'totp' | 'recovery-code' | 'none';

/**
 * People sign in with their name, password and second factor, and get a session
 * (docs/architecture.md, "Authentication"). Failures share the API keys' throttle: counted per
 * address and per user name, with back-off, audited per burst, all with one answer. Opening and
 * closing a session are audited with the session's write.
 */
export class SignInService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomBytes,
    private readonly policy: PolicyService,
    private readonly throttle: AuthThrottle,
  ) {}

  async signIn(request: SignInRequest, context: SignInContext = {}): Promise<OpenedSession> {
    const account = `user:${request.user}`;
    await this.throttle.admit(context.ip, account);
    const user = (await this.store.accounts.users.findByName(request.user)) ?? (await this.store.accounts.users.findById(request.user));
    const credentials = user && (await this.store.accounts.credentials.find(user.id));
    const password = request.password.length <= MAX_PASSWORD_LENGTH * 4 ? request.password.normalize('NFKC') : '';
    const passwordOk = await secretMatches(password, credentials?.passwordHash ?? DECOY_HASH);
    if (!user) return this.fail(context, account, 'unknown user');
    if (!credentials?.passwordHash) return this.fail(context, account, 'no password set');
    if (!passwordOk) return this.fail(context, account, 'wrong password');
    if (user.disabledAt) return this.fail(context, account, 'disabled user');

    const client = await this.store.accounts.clients.findById(user.clientId);
    if (!client) return this.fail(context, account, 'user without a client');
    const now = this.clock.now();
    const code = request.code?.trim() ?? '';
    let factor: SecondFactor = 'none';
    let use: ((tx: Store['accounts']) => Promise<boolean>) | undefined;
    if (credentials.totpSecret) {
      if (looksLikeRecoveryCode(code)) {
        const hash = matchRecoveryCode(user.id, code, await this.store.accounts.credentials.unusedRecoveryCodes(user.id));
        if (!hash) return this.fail(context, account, 'wrong recovery code');
        factor = 'recovery-code';
        use = (tx) => tx.credentials.useRecoveryCode(user.id, hash, now.toISOString());
      } else {
        const step = matchTotp(base32Decode(credentials.totpSecret), code, now.getTime(), credentials.totpLastStep);
        if (step === undefined) return this.fail(context, account, code ? 'wrong or replayed code' : 'no code');
        factor = 'totp';
        use = (tx) => tx.credentials.useTotpStep(user.id, step);
      }
    } else if (this.needsSecondFactor(user)) {
      await this.audit.record({ actor: user.id, client: user.clientId, action: 'session.refused', target: user.id,
        details: { ip: context.ip ?? null, reason: 'second-factor-required' } });
      throw new LikenessError('LIKENESS_SECOND_FACTOR_REQUIRED',
        `The role ${user.roles.join(', ')} needs a second factor to sign in; ask your operator to enrol one ("likeness user totp ${user.name}")`);
    }

    const token = newSessionToken(this.random);
    const session: SessionRecord = {
      id: sessionIdOf(token)!, userId: user.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(), revokedAt: null,
    };
    const previous = context.previousToken ? sessionIdOf(context.previousToken) : undefined;
    let raced = false;
    try {
      await this.audit.record({
        actor: user.id, client: user.clientId, action: 'session.open', target: sessionRef(session.id),
        details: { ip: context.ip ?? null, secondFactor: factor, expiresAt: session.expiresAt },
      }, async (tx) => {
        // The code is spent in the session's own transaction: of two sign-ins with one code, one opens.
        if (use && !(await use(tx.accounts))) {
          raced = true;
          throw new LikenessError('LIKENESS_UNAUTHENTICATED', SIGN_IN_FAILED_MESSAGE);
        }
        if (previous) await tx.accounts.sessions.revoke(previous, now.toISOString());
        await tx.accounts.sessions.create(session);
      });
    } catch (error) {
      if (raced) return this.fail(context, account, 'code used twice');
      throw error;
    }
    this.throttle.succeeded(account);
    return { token, csrfToken: csrfTokenOf(token), session, principal: { user, client, sessionId: session.id } };
  }

  /**
   * The user behind a session cookie, while the session is open: not revoked, used within the
   * idle time, before its absolute end. A cookie that matches no session counts as a failed
   * authentication; one of a session that ended is refused without counting.
   */
  async resolve(token: string, context: { ip?: string } = {}): Promise<Principal> {
    await this.throttle.admit(context.ip, null);
    const id = sessionIdOf(token);
    const session = id && (await this.store.accounts.sessions.find(id));
    if (!session) return this.fail(context, null, 'unknown session', 'Your session is not valid: sign in again');
    const now = this.clock.now();
    const idleEnd = Date.parse(session.lastSeenAt) + SESSION_IDLE_MS;
    if (session.revokedAt || now.getTime() >= Math.min(idleEnd, Date.parse(session.expiresAt))) {
      throw new LikenessError('LIKENESS_UNAUTHENTICATED', 'Your session has ended: sign in again', { details: { sessionEnded: true } });
    }
    const user = await this.store.accounts.users.findById(session.userId);
    const client = user && (await this.store.accounts.clients.findById(user.clientId));
    // A user disabled by an admin loses their open sessions at once, as they lose their keys.
    if (!user || !client || user.disabledAt) throw new LikenessError('LIKENESS_UNAUTHENTICATED', 'Your session has ended: sign in again');
    if (now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await this.store.accounts.sessions.touch(session.id, now.toISOString());
    return { user, client, sessionId: session.id };
  }

  /** Ends the principal's session on the server: the cookie is worthless from now on, wherever a copy is. */
  async signOut(principal: Principal, context: { ip?: string } = {}): Promise<void> {
    const id = principal.sessionId;
    if (!id) throw new LikenessError('LIKENESS_BAD_INPUT', 'Signed in with an API key: there is no session to end');
    await this.audit.record({ actor: principal.user.id, client: principal.client.id, action: 'session.close', target: sessionRef(id), details: { ip: context.ip ?? null } },
      async (tx) => {
        await tx.accounts.sessions.revoke(id, this.clock.now().toISOString());
      });
  }

  /** The roles of the policy's `accounts.secondFactorRoles` that the user holds, if any. */
  needsSecondFactor(user: User): boolean {
    return user.roles.some((role) => this.policy.policy.accounts.secondFactorRoles.includes(role));
  }

  private async fail(context: { ip?: string }, account: string | null, reason: string, message = SIGN_IN_FAILED_MESSAGE): Promise<never> {
    await this.throttle.failed(context.ip, account, reason);
    throw new LikenessError('LIKENESS_UNAUTHENTICATED', message);
  }
}

/** How the audit names a session: the first half of its id, enough to tell sessions apart. */
function sessionRef(id: string): string {
  return `session:${id.slice(0, 16)}`;
}
