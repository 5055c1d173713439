import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { base32Decode, totpAt } from '../../src/services/accounts/totp.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/services/accounts/sign-in.ts';
import { sessionIdOf } from '../../src/services/accounts/session-tokens.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

const OPERATOR = { local: 'local:test' };
const PASSWORD = 'a passphrase long enough';

// People sign in with name, password and code; the browser then holds a session cookie and
// sends the session's CSRF token with every change. The harness's clock is moved, never waited on.
describe('sessions for people: sign-in, cookie, CSRF, sign-out', () => {
  let h: ApiHarness;
  let now = Date.parse('2026-06-01T09:00:00Z');
  let secret: Buffer;
  const advance = (ms: number) => (now += ms);
  const code = () => totpAt(secret, now);
  before(async () => {
    h = await apiHarness({ clock: { now: () => new Date(now) } });
    await h.services.credentials.setPassword(OPERATOR, 'ivan', PASSWORD);
    secret = base32Decode((await h.services.credentials.enrolSecondFactor(OPERATOR, 'ivan')).secret);
    await h.services.credentials.setPassword(OPERATOR, 'sue', PASSWORD);
  });
  after(() => h.close());

  const signIn = (body: object, headers: Record<string, string> = {}, remoteAddress = '10.9.0.1') =>
    h.app.inject({ method: 'POST', url: '/v1/session', payload: body, headers, remoteAddress });
  const cookieOf = (res: LightMyRequestResponse) => {
    const header = String(res.headers['set-cookie'] ?? '');
    return { header, value: /^likeness_session=([^;]*)/.exec(header)?.[1] ?? '' };
  };
  /** Signs ivan in, one step later each time so no code is a replay. */
  const session = async () => {
    advance(30_000);
    const res = await signIn({ user: 'ivan', password: PASSWORD, code: code() });
    assert.equal(res.statusCode, 200, res.body);
    return { cookie: `likeness_session=${cookieOf(res).value}`, csrf: res.json().csrfToken as string };
  };

  it('opens a session with the right name, password and code: an HttpOnly, SameSite=Strict cookie and a CSRF token', async () => {
    advance(30_000);
    const res = await signIn({ user: 'ivan', password: PASSWORD, code: code() });
    assert.equal(res.statusCode, 200, res.body);
    const { header, value } = cookieOf(res);
    assert.match(header, /^likeness_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/, 'no Secure over plain HTTP');
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.user.name, 'ivan');
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!res.body.includes(value), 'the cookie is not in the body, where a script could read it');
    const me = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `likeness_session=${value}` } });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().user.name, 'ivan');
    const again = await h.app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: `likeness_session=${value}` } });
    assert.equal(again.json().csrfToken, body.csrfToken, 'a reloaded page gets the same token back');
    const [entry] = await h.services.audit.list({ action: 'session.open', limit: 1 });
    assert.equal(entry?.actor, body.user.id);
  });

  it('marks the cookie Secure when the request came over TLS, through the reverse proxy that says so', async () => {
    advance(30_000);
    const res = await signIn({ user: 'ivan', password: PASSWORD, code: code() }, { 'x-forwarded-proto': 'https' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(cookieOf(res).header, /; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('gives one answer to an unknown name, a wrong password, a wrong code and a replayed code', async () => {
    advance(30_000);
    const good = code();
    assert.equal((await signIn({ user: 'ivan', password: PASSWORD, code: good })).statusCode, 200);
    const wrongCode = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const tries = [
      { user: 'nobody', password: PASSWORD, code: good },
      { user: 'ivan', password: 'not the passphrase', code: good },
      { user: 'ivan', password: PASSWORD, code: wrongCode },
      { user: 'ivan', password: PASSWORD, code: good },
      { user: 'ivan', password: PASSWORD },
    ];
    const answers = await Promise.all(tries.map(async (body, i) => {
      const res = await signIn(body, {}, `10.8.0.${i}`);
      return { status: res.statusCode, body: res.json(), cookie: res.headers['set-cookie'] };
    }));
    assert.deepEqual(new Set(answers.map((a) => JSON.stringify(a))).size, 1, JSON.stringify(answers));
    assert.equal(answers[0]!.status, 401);
    assert.equal(answers[0]!.cookie, undefined);
  });

  it('refuses a role that needs a second factor without one enrolled, once the password is right', async () => {
    const res = await signIn({ user: 'sue', password: PASSWORD });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'LIKENESS_SECOND_FACTOR_REQUIRED');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('refuses a change made with the cookie but without the CSRF token, or with another session\'s, with 403', async () => {
    const mine = await session();
    const other = await session();
    const search = (headers: Record<string, string>) => h.app.inject({ method: 'DELETE', url: '/v1/faces/no-such-face', headers });
    for (const [what, headers] of [['no token', { cookie: mine.cookie }], ['another session\'s token', { cookie: mine.cookie, 'x-csrf-token': other.csrf }]] as const) {
      const res = await search(headers);
      assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
      assert.equal(res.json().code, 'LIKENESS_CSRF_REFUSED');
    }
    const allowed = await search({ cookie: mine.cookie, 'x-csrf-token': mine.csrf });
    assert.equal(allowed.statusCode, 403, 'past the CSRF check, the role decides: an investigator deletes no face');
    assert.equal(allowed.json().code, 'LIKENESS_FORBIDDEN');
    const program = await search({ ...h.as.operator });
    assert.equal(program.statusCode, 404, 'an API key needs no CSRF token');
    const read = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: mine.cookie } });
    assert.equal(read.statusCode, 200, 'a read needs no token');
  });

  it('refuses a sign-in posted as a form from another site (a cross-site form cannot send JSON)', async () => {
    const res = await h.app.inject({
      method: 'POST', url: '/v1/session', payload: `user=ivan&password=${encodeURIComponent(PASSWORD)}&code=${code()}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    assert.equal(res.statusCode, 415, res.body);
  });

  it('signs out on the server: the cookie opens nothing afterwards, and is cleared', async () => {
    const mine = await session();
    const withoutToken = await h.app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: mine.cookie } });
    assert.equal(withoutToken.statusCode, 403, 'signing out is a change too');
    const out = await h.app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie: mine.cookie, 'x-csrf-token': mine.csrf } });
    assert.equal(out.statusCode, 204, out.body);
    assert.match(String(out.headers['set-cookie']), /^likeness_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    const after = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: mine.cookie } });
    assert.equal(after.statusCode, 401);
    assert.match(String(after.headers['set-cookie']), /Max-Age=0/);
    assert.equal((await h.services.audit.list({ action: 'session.close', limit: 5 })).length, 1);
  });

  it('ends a session left unused for 30 minutes, and replaces the one the browser held at the next sign-in', async () => {
    const idle = await session();
    advance(SESSION_IDLE_MS);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: idle.cookie } })).statusCode, 401);
    const first = await session();
    advance(30_000);
    const rotated = await signIn({ user: 'ivan', password: PASSWORD, code: code() }, { cookie: first.cookie });
    assert.equal(rotated.statusCode, 200);
    assert.notEqual(`likeness_session=${cookieOf(rotated).value}`, first.cookie);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: first.cookie } })).statusCode, 401, 'the old session is over');
  });

  it('counts a made-up cookie as a failed authentication, with the same back-off as keys', async () => {
    const from = '10.7.0.1';
    for (let i = 0; i < 6; i++) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `likeness_session=${String(i).repeat(43)}` }, remoteAddress: from });
      assert.equal(res.statusCode, 401);
    }
    const held = await h.app.inject({ method: 'GET', url: '/v1/me', headers: h.as.investigator, remoteAddress: from });
    assert.equal(held.statusCode, 429, held.body);
  });

  it('deletes a session\'s record a day after its absolute end, in the retention sweep, and keeps open ones', async () => {
    const old = await session();
    const oldId = sessionIdOf(/^likeness_session=(.*)$/.exec(old.cookie)![1]!)!;
    advance(SESSION_ABSOLUTE_MS + 24 * 3_600_000 - 60_000);
    const fresh = await session();
    const freshId = sessionIdOf(/^likeness_session=(.*)$/.exec(fresh.cookie)![1]!)!;
    await h.services.rights.retention.sweep('test');
    assert.ok(await h.store.accounts.sessions.find(oldId), 'kept for a day after its end');
    advance(60_000);
    const swept = await h.services.rights.retention.sweep('test');
    assert.ok(swept.sessionsDeleted >= 1, `deleted ${swept.sessionsDeleted}`);
    assert.equal(await h.store.accounts.sessions.find(oldId), undefined);
    assert.ok(await h.store.accounts.sessions.find(freshId), 'an open session is kept');
    const me = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: fresh.cookie } });
    assert.equal(me.statusCode, 200, me.body);
  });
});
