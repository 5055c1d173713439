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
  const accounts = new AccountsService(store, audit, clock, randomIds, systemRandom);
  const auth = new Authenticator(store, audit, clock);
  return { store, audit, accounts, auth, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('AccountsService and Authenticator', () => {
  it('issues a prefixed key shown once, stores only its scrypt hash, and authenticates it', async () => {
    const { store, accounts, auth } = await setup();
    await accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'us-il' }, 'op');
    const made = await accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'op');
    const parsed = parseKey(made.key)!;
    assert.equal(parsed.prefix, made.keyPrefix);
    const record = await store.accounts.keys.findByPrefix(made.keyPrefix);
    assert.match(record!.hash, /^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
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
});
