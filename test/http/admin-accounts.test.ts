import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

type Headers = { authorization: string };
const bearer = (key: string): Headers => ({ authorization: `Bearer ${key}` });

// Accounts over HTTP as the controller's admin runs them (docs/architecture.md, "Accounts over
// HTTP"): "police" is the controller of the harness; "ada" is its admin.
describe('HTTP /v1/admin: the controller\'s admin manages clients, grants, users and keys, each change audited', () => {
  let h: ApiHarness;
  let admin: Headers;
  let adminId: string;

  before(async () => {
    h = await apiHarness();
    const made = await h.accounts.addUser({ name: 'ada', client: 'police', roles: ['admin'] }, 'test');
    admin = bearer(made.key);
    adminId = made.user.id;
  });
  after(async () => h.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Headers = admin) =>
    h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const me = (key: string) => h.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(key) });

  it('adds a client, grants and withdraws it a gallery; the client\'s investigator searches only while granted', async () => {
    const created = await call('POST', '/v1/admin/clients', { name: 'agency', type: 'government', jurisdiction: 'de' });
    assert.equal(created.statusCode, 201, created.body);
    const { name, type, jurisdiction, galleries } = created.json();
    assert.deepEqual({ name, type, jurisdiction, galleries }, { name: 'agency', type: 'government', jurisdiction: 'DE', galleries: [] });
    assert.equal((await call('POST', '/v1/admin/clients', { name: 'agency', type: 'ngo', jurisdiction: 'FR' })).statusCode, 409);

    assert.equal((await call('PUT', '/v1/admin/clients/agency/galleries/default')).statusCode, 204);
    const listed = (await call('GET', '/v1/admin/clients')).json() as Array<{ name: string; galleries: string[] }>;
    assert.deepEqual(listed.find((c) => c.name === 'agency')?.galleries, ['default']);
    assert.equal((await call('PUT', '/v1/admin/clients/agency/galleries/nowhere')).statusCode, 404);

    const user = await call('POST', '/v1/admin/users', { name: 'ines', client: 'agency', roles: ['investigator'] });
    const key = user.json().key as string;
    assert.equal((await call('GET', '/v1/admin/galleries', undefined, bearer(key))).statusCode, 403, 'an investigator is no admin');
    const searchDefault = async () => h.services.authoriser.decide(await h.services.authenticator.authenticate(key), 'search.run', { galleryIds: [(await h.store.galleries.findByName('default'))!.id] });
    assert.equal((await searchDefault()).allowed, true);

    assert.equal((await call('DELETE', '/v1/admin/clients/agency/galleries/default')).statusCode, 204);
    assert.equal((await call('DELETE', '/v1/admin/clients/agency/galleries/default')).statusCode, 404, 'a grant is withdrawn once');
    assert.equal((await searchDefault()).allowed, false);
  });

  it('adds a user whose key is in the answer once and works; lists keys by user and prefix, never a hash; revokes a key at once', async () => {
    const res = await call('POST', '/v1/admin/users', { name: 'ivo', client: 'police', roles: ['investigator', 'supervisor'], keyDays: 30 });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const { user, key, keyPrefix } = res.json();
    assert.deepEqual([user.name, user.clientName, user.roles], ['ivo', 'police', ['investigator', 'supervisor']]);
    assert.match(key, new RegExp(`^lk_${keyPrefix}_`));
    assert.equal((await me(key)).json().user.name, 'ivo');

    const second = await call('POST', '/v1/admin/users/ivo/keys', { days: 7 });
    assert.equal(second.statusCode, 201, second.body);
    const secondKey = second.json().key as string;
    assert.equal((await me(secondKey)).statusCode, 200);

    const keys = (await call('GET', '/v1/admin/keys?user=ivo')).json() as Array<Record<string, unknown>>;
    assert.deepEqual(keys.map((k) => k.prefix).sort(), [keyPrefix, second.json().keyPrefix].sort());
    for (const k of keys) {
      assert.deepEqual(Object.keys(k).sort(), ['createdAt', 'expiresAt', 'prefix', 'revokedAt', 'userId', 'userName']);
      assert.equal(k.userName, 'ivo');
    }
    const byPrefix = (await call('GET', `/v1/admin/keys?prefix=${keyPrefix.slice(0, 8)}`)).json() as Array<{ prefix: string }>;
    assert.ok(byPrefix.some((k) => k.prefix === keyPrefix));
    assert.equal((await call('GET', '/v1/admin/keys')).statusCode, 400, 'a user or a prefix is named');

    assert.equal((await call('DELETE', `/v1/admin/keys/lk_${keyPrefix}`)).statusCode, 204);
    assert.equal((await me(key)).statusCode, 401);
    assert.equal((await me(secondKey)).statusCode, 200, 'the other key stays valid');
    assert.equal((await call('DELETE', `/v1/admin/keys/${keyPrefix}`)).json().code, 'LIKENESS_CONFLICT');
  });

  it('changes roles, disables (no key of the user authenticates), enables, and deletes a user who made no record', async () => {
    const { key } = (await call('POST', '/v1/admin/users', { name: 'uma', client: 'other', roles: ['auditor'] })).json();
    const changed = await call('PUT', '/v1/admin/users/uma/roles', { roles: ['supervisor', 'auditor'] });
    assert.deepEqual(changed.json().roles, ['supervisor', 'auditor']);
    assert.deepEqual((await me(key)).json().user.roles, ['supervisor', 'auditor']);

    const disabled = await call('POST', '/v1/admin/users/uma/disable');
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.ok(disabled.json().disabledAt);
    assert.equal((await me(key)).statusCode, 401);
    const listed = (await call('GET', '/v1/admin/users?client=other')).json() as Array<{ name: string; disabledAt?: string }>;
    assert.ok(listed.find((u) => u.name === 'uma')?.disabledAt);
    assert.equal((await call('POST', '/v1/admin/users/uma/enable')).statusCode, 200);
    assert.equal((await me(key)).statusCode, 200);

    assert.equal((await call('DELETE', '/v1/admin/users/uma')).statusCode, 204);
    assert.equal((await me(key)).statusCode, 401);
    assert.equal((await call('DELETE', '/v1/admin/users/uma')).statusCode, 404);
  });

  it('keeps a user who searched, to be disabled rather than deleted', async () => {
    const res = await call('DELETE', '/v1/admin/users/ivan');
    assert.equal(res.statusCode, 204, 'ivan of the harness has made no search yet');
    const made = await call('POST', '/v1/admin/users', { name: 'iris', client: 'police', roles: ['investigator'] });
    const iris = made.json().user.id as string;
    await h.store.accounts.searches.create({ id: 's-iris', userId: iris, clientId: made.json().user.clientId, caseNumber: 'K-1', purpose: 'theft', galleries: [], probeSha256: 'ab', threshold: 0.5, results: [], at: new Date().toISOString() });
    const refused = await call('DELETE', '/v1/admin/users/iris');
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().message, /disable the user instead/);
  });

  it('replaces a user\'s second factor: the new secret and codes in the answer once, the old codes dead, audited', async () => {
    await h.accounts.addUser({ name: 'rene', client: 'police', roles: ['investigator'] }, 'test');
    const first = await h.services.credentials.enrolSecondFactor({ local: 'local:test' }, 'rene');
    const res = await call('POST', '/v1/admin/users/rene/second-factor');
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const { secret, uri, recoveryCodes } = res.json() as { secret: string; uri: string; recoveryCodes: string[] };
    assert.notEqual(secret, first.secret);
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.equal(recoveryCodes.length, first.recoveryCodes.length);
    const rene = (await h.store.accounts.users.findByName('rene'))!;
    const unused = await h.store.accounts.credentials.unusedRecoveryCodes(rene.id);
    assert.equal(unused.length, recoveryCodes.length, 'only the new codes are left');
    const entries = await h.services.audit.list({ action: 'user.totp.reset', limit: 5 });
    assert.deepEqual(entries.map((e) => [e.actor, e.target]), [[adminId, rene.id]]);
    assert.equal((await call('POST', '/v1/admin/users/nobody/second-factor')).statusCode, 404);
  });

  it('grants no role outside the list, and takes no field past its bounds', async () => {
    for (const roles of [['root'], ['Admin'], [], ['admin', 'admin'], Array(7).fill('dpo')]) {
      const res = await call('POST', '/v1/admin/users', { name: 'rex', client: 'police', roles });
      assert.equal(res.statusCode, 400, `${JSON.stringify(roles)}: ${res.body}`);
      assert.equal((await call('PUT', '/v1/admin/users/ada/roles', { roles })).statusCode, 400);
    }
    assert.equal((await call('POST', '/v1/admin/users', { name: 'x'.repeat(101), client: 'police', roles: ['dpo'] })).statusCode, 400);
    assert.equal((await call('POST', '/v1/admin/users', { name: 'rex', client: 'police', roles: ['dpo'], keyDays: 100_000 })).statusCode, 400);
    assert.equal((await call('POST', '/v1/admin/clients', { name: 'c'.repeat(200_000), type: 'ngo', jurisdiction: 'FR' })).statusCode, 413);
    assert.equal((await call('GET', `/v1/admin/users?limit=100000`)).statusCode, 400);
    assert.equal(await h.store.accounts.users.findByName('rex'), undefined);
  });

  it('refuses to remove the controller\'s last admin, by roles, disabling or deleting (LIKENESS_LAST_ADMIN); with a second admin, the first may go', async () => {
    for (const [method, url, payload] of [
      ['PUT', '/v1/admin/users/ada/roles', { roles: ['auditor'] }], ['POST', '/v1/admin/users/ada/disable'], ['DELETE', '/v1/admin/users/ada'],
    ] as const) {
      const res = await call(method, url, payload);
      assert.equal(res.statusCode, 409, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().code, 'LIKENESS_LAST_ADMIN');
    }
    assert.equal((await me(admin.authorization.slice(7))).statusCode, 200);
    // An admin of another client is not the controller's: it does not count.
    assert.equal((await call('POST', '/v1/admin/users', { name: 'nadia', client: 'other', roles: ['admin'] })).statusCode, 201);
    assert.equal((await call('POST', '/v1/admin/users/ada/disable')).statusCode, 409);
    const second = (await call('POST', '/v1/admin/users', { name: 'bo', client: 'police', roles: ['admin', 'auditor'] })).json();
    assert.equal((await call('PUT', '/v1/admin/users/ada/roles', { roles: ['auditor'] })).statusCode, 200);
    assert.equal((await call('GET', '/v1/admin/users')).statusCode, 403, 'ada is no admin any more');
    assert.equal((await call('PUT', '/v1/admin/users/ada/roles', { roles: ['admin'] }, bearer(second.key))).statusCode, 200);
  });

  it('audits every change with the admin as actor and the client it concerns', async () => {
    const entries = await h.services.audit.list({ actor: adminId, limit: 200 });
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['client.add', 'client.grant', 'client.revoke', 'user.add', 'key.issue', 'key.revoke', 'user.roles', 'user.disable', 'user.enable', 'user.delete']) {
      assert.ok(actions.has(action), `${action} is audited`);
    }
    const roles = entries.find((e) => e.action === 'user.roles' && e.details.user === 'uma');
    assert.deepEqual(roles?.details, { user: 'uma', from: ['auditor'], to: ['supervisor', 'auditor'] });
    assert.equal(roles?.client, (await h.store.accounts.clients.findByName('other'))?.id);
    assert.equal((await h.services.audit.verify()).intact, true);
  });
});
