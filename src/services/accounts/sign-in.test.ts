import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import { randomIds } from '../../ports/ids.ts';
import { systemRandom } from '../../ports/random-bytes.ts';
import { AuditService } from '../audit/audit-service.ts';
import { Authoriser } from '../authorisation/authoriser.ts';
import { GalleryAccess } from '../faces/gallery-access.ts';
import { PolicyService } from '../policy/policy-service.ts';
import { defaultPolicy, type Policy } from '../policy/policy.ts';
import { AccountsService } from './accounts-service.ts';
import { Authenticator } from './authenticator.ts';
import { CredentialsService } from './credentials.ts';
import { csrfTokenOf } from './session-tokens.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SIGN_IN_FAILED_MESSAGE, SignInService } from './sign-in.ts';
import { base32Decode, totpAt } from './totp.ts';

const OPERATOR = { local: 'local:test' };
const PASSWORD = 'correct horse battery staple';

async function setup(change: (policy: Policy) => void = () => {}) {
  let now = new Date('2026-03-01T09:00:00Z');
  const clock = { now: () => now };
  const store = await SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true });
  const audit = new AuditService(store, clock);
  const policy = defaultPolicy();
  change(policy);
  const policies = new PolicyService(policy, clock);
  const authoriser = new Authoriser(policies, new GalleryAccess(store, policies), audit);
  const accounts = new AccountsService(store, audit, clock, randomIds, systemRandom);
  const credentials = new CredentialsService(store, audit, clock, systemRandom, authoriser);
  const throttle = new Authenticator(store, audit, clock).throttle;
  const signIn = new SignInService(store, audit, clock, systemRandom, policies, throttle);
  await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'test');
  await accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'test');
  await credentials.setPassword(OPERATOR, 'ivan', PASSWORD);
  const enrolment = await credentials.enrolSecondFactor(OPERATOR, 'ivan');
  const secret = base32Decode(enrolment.secret);
  return {
    store, audit, accounts, credentials, signIn, throttle, enrolment,
    code: (offsetMs = 0) => totpAt(secret, now.getTime() + offsetMs),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('people sign in with a password and a second factor', () => {
  it('opens a session for the right password and code, keeping only the cookie\'s hash, and audits it', async () => {
    const { store, audit, signIn, code } = await setup();
    const opened = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() }, { ip: '10.0.0.1' });
    assert.equal(opened.principal.user.name, 'ivan');
    assert.equal(opened.csrfToken, csrfTokenOf(opened.token));
    const stored = await store.accounts.sessions.find(opened.session.id);
    assert.ok(stored && !JSON.stringify(stored).includes(opened.token), 'the store holds no cookie');
    assert.equal((await signIn.resolve(opened.token)).user.name, 'ivan');
    const [entry] = await audit.list({ action: 'session.open', limit: 5 });
    assert.deepEqual([entry?.actor, entry?.details.secondFactor, entry?.details.ip], [opened.principal.user.id, 'totp', '10.0.0.1']);
    await store.close();
  });

  it('gives the one answer to an unknown user, a wrong password, a wrong code, no code and a replayed code', async () => {
    const { store, signIn, code, throttle, audit } = await setup();
    const good = code();
    await signIn.signIn({ user: 'ivan', password: PASSWORD, code: good });
    const bad = [
      { user: 'nobody', password: PASSWORD, code: good },
      { user: 'ivan', password: 'not the password at all', code: good },
      { user: 'ivan', password: PASSWORD, code: String((Number(good) + 1) % 1_000_000).padStart(6, '0') },
      { user: 'ivan', password: PASSWORD },
      { user: 'ivan', password: PASSWORD, code: good },
    ];
    for (const [i, request] of bad.entries()) {
      await assert.rejects(signIn.signIn(request, { ip: `10.1.0.${i}` }), { code: 'LIKENESS_UNAUTHENTICATED', message: SIGN_IN_FAILED_MESSAGE }, JSON.stringify(request));
    }
    await throttle.flush();
    const reasons = (await audit.list({ action: 'auth.failure', limit: 10 })).flatMap((e) => Object.keys(e.details.reasons as object)).sort();
    assert.deepEqual(reasons, ['no code', 'unknown user', 'wrong or replayed code', 'wrong or replayed code', 'wrong password']);
    await store.close();
  });

  it('makes a user name wait after five failures, whichever address tries', async () => {
    const { store, signIn, code } = await setup();
    for (let i = 0; i < 6; i++) await assert.rejects(signIn.signIn({ user: 'ivan', password: `wrong password ${i}`, code: code() }, { ip: `10.2.0.${i}` }));
    await assert.rejects(signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() }, { ip: '10.2.1.1' }), { code: 'LIKENESS_AUTH_BACKOFF' });
    await store.close();
  });

  it('takes each recovery code once, in place of the app\'s code', async () => {
    const { store, signIn, enrolment, audit } = await setup();
    const [first, second] = enrolment.recoveryCodes;
    const opened = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: first!.toLowerCase() });
    assert.equal((await audit.list({ action: 'session.open', limit: 1 }))[0]?.target, `session:${opened.session.id.slice(0, 16)}`);
    await assert.rejects(signIn.signIn({ user: 'ivan', password: PASSWORD, code: first! }), { message: SIGN_IN_FAILED_MESSAGE });
    await signIn.signIn({ user: 'ivan', password: PASSWORD, code: second! });
    assert.equal(enrolment.recoveryCodes.length, 10);
    assert.equal(new Set(enrolment.recoveryCodes).size, 10);
    await store.close();
  });

  it('refuses a role the policy names without a second factor, after the password only; signs in a role it does not name with the password', async () => {
    const { store, accounts, credentials, signIn } = await setup((p) => (p.accounts.secondFactorRoles = ['investigator']));
    await accounts.addUser({ name: 'aude', client: 'police', roles: ['auditor'] }, 'test');
    await accounts.addUser({ name: 'ines', client: 'police', roles: ['auditor', 'investigator'] }, 'test');
    await credentials.setPassword(OPERATOR, 'aude', PASSWORD);
    await credentials.setPassword(OPERATOR, 'ines', PASSWORD);
    assert.equal((await signIn.signIn({ user: 'aude', password: PASSWORD })).principal.user.name, 'aude');
    await assert.rejects(signIn.signIn({ user: 'ines', password: PASSWORD }), { code: 'LIKENESS_SECOND_FACTOR_REQUIRED' });
    await assert.rejects(signIn.signIn({ user: 'ines', password: 'a wrong password' }), { code: 'LIKENESS_UNAUTHENTICATED' }, 'the wrong password tells nothing of the factor');
    await store.close();
  });

  it('ends a session after 30 minutes unused and after 12 hours whatever its use', async () => {
    const { store, signIn, code, advance } = await setup();
    const idle = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    advance(SESSION_IDLE_MS - 1000);
    await signIn.resolve(idle.token);
    advance(SESSION_IDLE_MS - 1000);
    assert.equal((await signIn.resolve(idle.token)).user.name, 'ivan', 'its use moved the idle end on');
    advance(SESSION_IDLE_MS);
    await assert.rejects(signIn.resolve(idle.token), { code: 'LIKENESS_UNAUTHENTICATED', message: /session has ended/ });

    const busy = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    for (let spent = 0; spent < SESSION_ABSOLUTE_MS - 20 * 60_000; spent += 20 * 60_000) {
      advance(20 * 60_000);
      await signIn.resolve(busy.token);
    }
    advance(20 * 60_000);
    await assert.rejects(signIn.resolve(busy.token), { message: /session has ended/ });
    await store.close();
  });

  it('ends the session on sign-out, replaces the one the browser held on sign-in, and ends them all when the factor is reset', async () => {
    const { store, signIn, credentials, code, advance, audit } = await setup();
    const first = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    advance(30_000);
    const second = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() }, { previousToken: first.token });
    assert.notEqual(second.token, first.token);
    await assert.rejects(signIn.resolve(first.token), { message: /session has ended/ });
    await signIn.signOut(await signIn.resolve(second.token));
    await assert.rejects(signIn.resolve(second.token), { message: /session has ended/ });
    assert.equal((await audit.list({ action: 'session.close', limit: 5 })).length, 1);

    advance(30_000);
    const third = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    const reset = await credentials.resetSecondFactor(OPERATOR, 'ivan');
    await assert.rejects(signIn.resolve(third.token), { message: /session has ended/ });
    advance(30_000);
    await assert.rejects(signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() }), { message: SIGN_IN_FAILED_MESSAGE }, 'the old secret is dead');
    await signIn.signIn({ user: 'ivan', password: PASSWORD, code: totpAt(base32Decode(reset.secret), Date.parse('2026-03-01T09:01:30Z')) });
    await store.close();
  });

  it('a disabled user opens no session and loses the one they had; a deleted user leaves no credential behind', async () => {
    const { store, signIn, accounts, code, advance } = await setup();
    const open = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    await accounts.setDisabled('ivan', true, 'test');
    await assert.rejects(signIn.resolve(open.token), { message: /session has ended/ });
    advance(30_000);
    await assert.rejects(signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() }), { message: SIGN_IN_FAILED_MESSAGE });
    await accounts.setDisabled('ivan', false, 'test');
    advance(30_000);
    const again = await signIn.signIn({ user: 'ivan', password: PASSWORD, code: code() });
    await accounts.deleteUser('ivan', 'test');
    await assert.rejects(signIn.resolve(again.token), { message: /session has ended|not valid/ });
    const user = await store.accounts.users.findByName('ivan');
    assert.equal(user, undefined);
    await store.close();
  });

  it('refuses a short password, one with the user\'s name, a second enrolment without reset, and a client\'s user as the actor', async () => {
    const { store, credentials, accounts } = await setup();
    await assert.rejects(credentials.setPassword(OPERATOR, 'ivan', 'short'), { code: 'LIKENESS_ACCOUNT_INVALID' });
    await assert.rejects(credentials.setPassword(OPERATOR, 'ivan', 'ivan-and-a-long-tail'), { code: 'LIKENESS_ACCOUNT_INVALID' });
    await assert.rejects(credentials.enrolSecondFactor(OPERATOR, 'ivan'), { code: 'LIKENESS_CONFLICT' });
    await assert.rejects(credentials.setPassword(OPERATOR, 'nobody', PASSWORD), { code: 'LIKENESS_NOT_FOUND' });
    const made = await accounts.addUser({ name: 'olga', client: 'police', roles: ['operator'] }, 'test');
    await assert.rejects(credentials.resetSecondFactor({ user: made.user, client: made.client, keyPrefix: made.keyPrefix }, 'ivan'), { code: 'LIKENESS_FORBIDDEN' });
    await store.close();
  });
});
