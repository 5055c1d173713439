import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import { AuditService } from '../audit/audit-service.ts';
import { randomIds } from '../../ports/ids.ts';
import { systemRandom } from '../../ports/random-bytes.ts';
import { AccountsService } from './accounts-service.ts';
import { parseKey } from './api-keys.ts';
import { Authenticator } from './authenticator.ts';

async function setup() {
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const store = await SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true });
  const audit = new AuditService(store, clock);
  const accounts = new AccountsService(store, audit, clock, randomIds, systemRandom, (c) => c.name === 'police');
  const auth = new Authenticator(store, audit, clock);
  return { store, audit, accounts, auth, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('AccountsService and Authenticator', () => {
  it('issues a prefixed key shown once, stores only its salted hash, and authenticates it', async () => {
    const { store, accounts, auth } = await setup();
    await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'us-il' }, 'op');
    const made = await accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'op');
    const parsed = parseKey(made.key)!;
    assert.equal(parsed.prefix, made.keyPrefix);
    const record = await store.accounts.keys.findByPrefix(made.keyPrefix);
    assert.match(record!.hash, /^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    assert.ok(!record!.hash.includes(parsed.secret));
    const who = await auth.authenticate(made.key);
    assert.equal(who.user.name, 'ivan');
    assert.equal(who.client.jurisdiction, 'US-IL');
    await store.close();
  });

  it('refuses an expired key and audits the failures as one burst once it is over', async () => {
    const { store, audit, accounts, auth, advance } = await setup();
    await accounts.addClient({ name: 'ngo', type: 'ngo', jurisdiction: 'DE' }, 'op');
    const made = await accounts.addUser({ name: 'n', client: 'ngo', roles: ['dpo'], keyDays: 1 }, 'op');
    advance(86_400_000);
    await assert.rejects(auth.authenticate(made.key), { code: 'LIKENESS_UNAUTHENTICATED', message: /not valid, has expired or was revoked/ });
    await assert.rejects(auth.authenticate('lk_nope'), { code: 'LIKENESS_UNAUTHENTICATED' });
    assert.equal((await audit.list({ action: 'auth.failure', limit: 10 })).length, 0);
    await auth.throttle.flush();
    const [burst] = await audit.list({ action: 'auth.failure', limit: 10 });
    assert.deepEqual([burst?.details.failures, burst?.details.reasons], [2, { 'expired key': 1, 'malformed key': 1 }]);
    assert.equal((await audit.verify()).intact, true);
    await store.close();
  });

  const refusals: Array<[string, (a: AccountsService) => Promise<unknown>, string]> = [
    ['an unknown client type', (a) => a.addClient({ name: 'x', type: 'mercenary', jurisdiction: 'FR' }, 'op'), 'LIKENESS_ACCOUNT_INVALID'],
    ['a malformed jurisdiction', (a) => a.addClient({ name: 'x', type: 'ngo', jurisdiction: 'France' }, 'op'), 'LIKENESS_ACCOUNT_INVALID'],
    ['an unknown role', (a) => a.addUser({ name: 'u', client: 'c', roles: ['god'] }, 'op'), 'LIKENESS_ACCOUNT_INVALID'],
    ['a user of no client', (a) => a.addUser({ name: 'u', client: 'nobody', roles: ['dpo'] }, 'op'), 'LIKENESS_NOT_FOUND'],
    ['a second client of the same name', (a) => a.addClient({ name: 'c', type: 'ngo', jurisdiction: 'FR' }, 'op'), 'LIKENESS_CONFLICT'],
    ['revoking an unknown key', (a) => a.revokeKey('000000000000', 'op'), 'LIKENESS_NOT_FOUND'],
  ];
  for (const [what, act, code] of refusals) {
    it(`refuses ${what}`, async () => {
      const { store, accounts } = await setup();
      await accounts.addClient({ name: 'c', type: 'ngo', jurisdiction: 'FR' }, 'op');
      await assert.rejects(act(accounts), { code });
      await store.close();
    });
  }

  describe('the controller keeps an admin', () => {
    async function twoAdmins() {
      const setup_ = await setup();
      await setup_.accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'op');
      await setup_.accounts.addClient({ name: 'ngo', type: 'ngo', jurisdiction: 'DE' }, 'op');
      const ada = await setup_.accounts.addUser({ name: 'ada', client: 'police', roles: ['admin'] }, 'op');
      const bea = await setup_.accounts.addUser({ name: 'bea', client: 'police', roles: ['admin', 'auditor'] }, 'op');
      return { ...setup_, ada, bea };
    }

    it('takes the role away, disables or deletes every admin but the last, which it refuses with LIKENESS_LAST_ADMIN', async () => {
      for (const removal of [
        (a: AccountsService, name: string) => a.setRoles(name, ['auditor'], 'op'),
        (a: AccountsService, name: string) => a.setDisabled(name, true, 'op'),
        (a: AccountsService, name: string) => a.deleteUser(name, 'op'),
      ]) {
        const { store, accounts } = await twoAdmins();
        await removal(accounts, 'bea');
        await assert.rejects(removal(accounts, 'ada'), { code: 'LIKENESS_LAST_ADMIN', message: /ada is the last admin of police/ });
        assert.deepEqual((await accounts.userByName('ada')).roles, ['admin']);
        assert.equal((await accounts.userByName('ada')).disabledAt, undefined);
        await store.close();
      }
    });

    it('two admins taking the role from each other at once: one change commits, the other is refused', async () => {
      const { store, accounts } = await twoAdmins();
      const outcomes = await Promise.allSettled([accounts.setRoles('ada', ['auditor'], 'op'), accounts.setRoles('bea', ['auditor'], 'op')]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      assert.equal(refused.reason.code, 'LIKENESS_LAST_ADMIN');
      const admins = (await accounts.listUsers({ limit: 10 })).filter((u) => u.roles.includes('admin'));
      assert.equal(admins.length, 1);
      await store.close();
    });

    it('an admin of another client, or one that is disabled, does not count as the controller\'s', async () => {
      const { store, accounts } = await twoAdmins();
      await accounts.addUser({ name: 'nia', client: 'ngo', roles: ['admin'] }, 'op');
      await accounts.setDisabled('bea', true, 'op');
      await assert.rejects(accounts.setRoles('ada', ['dpo'], 'op'), { code: 'LIKENESS_LAST_ADMIN' });
      // Enabling the disabled admin again is always allowed, and then the other may go.
      await accounts.setDisabled('bea', false, 'op');
      assert.deepEqual((await accounts.setRoles('ada', ['dpo'], 'op')).roles, ['dpo']);
      await store.close();
    });
  });

  it('a disabled user\'s keys authenticate no more until the user is enabled again; each change is audited', async () => {
    const { store, audit, accounts, auth } = await setup();
    await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'op');
    const made = await accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'op');
    const disabled = await accounts.setDisabled('ivan', true, 'admin-1');
    assert.ok(disabled.disabledAt);
    await assert.rejects(auth.authenticate(made.key), { code: 'LIKENESS_UNAUTHENTICATED' });
    await assert.rejects(accounts.newKey('ivan', 30, 'admin-1'), { code: 'LIKENESS_CONFLICT' });
    await assert.rejects(accounts.setDisabled('ivan', true, 'admin-1'), { code: 'LIKENESS_CONFLICT' });
    await accounts.setDisabled('ivan', false, 'admin-1');
    assert.equal((await auth.authenticate(made.key)).user.name, 'ivan');
    const actions = (await audit.list({ actor: 'admin-1', limit: 10 })).map((e) => e.action);
    assert.deepEqual(actions, ['user.enable', 'user.disable']);
    await store.close();
  });

  it('deletes a user who made no record, with their keys; keeps one who searched', async () => {
    const { store, accounts, auth } = await setup();
    await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'op');
    const made = await accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'op');
    const kept = await accounts.addUser({ name: 'ina', client: 'police', roles: ['investigator'] }, 'op');
    await store.accounts.searches.create({
      id: 's1', userId: kept.user.id, clientId: kept.client.id, caseNumber: 'K-1', purpose: 'theft', galleries: [], probeSha256: 'ab', threshold: 0.5, results: [], at: '2026-01-01T00:00:00.000Z',
    });
    await accounts.deleteUser('ivan', 'op');
    await assert.rejects(accounts.userByName('ivan'), { code: 'LIKENESS_NOT_FOUND' });
    await assert.rejects(auth.authenticate(made.key), { code: 'LIKENESS_UNAUTHENTICATED' });
    assert.deepEqual(await accounts.listKeys({ userId: made.user.id, limit: 10 }), []);
    await assert.rejects(accounts.deleteUser('ina', 'op'), { code: 'LIKENESS_CONFLICT', message: /disable the user instead/ });
    await store.close();
  });
});
