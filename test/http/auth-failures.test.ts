import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

// Time is the harness's own clock here: back-off waits and burst ends are reached by moving it.
describe('failed authentication: one answer, back-off, one audit entry per burst', () => {
  let h: ApiHarness;
  let now = Date.parse('2026-06-01T09:00:00Z');
  const advance = (ms: number) => (now += ms);
  before(async () => (h = await apiHarness({ clock: { now: () => new Date(now) } })));
  after(() => h.close());

  const me = (authorization: string, from: string) => h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization }, remoteAddress: from });
  const failures = async () => h.services.audit.list({ action: 'auth.failure', limit: 500 });
  const wrongSecret = (authorization = h.as.operator.authorization) => authorization.slice(0, -4) + 'AAAA';
  let guesses = 0;
  /** A key of a prefix nobody has, new each time: only the address is counted. */
  const unknownKey = () => `Bearer lk_${(++guesses).toString(16).padStart(12, 'f')}_${'B'.repeat(43)}`;

  it('answers every bad credential alike: malformed, unknown, wrong secret, revoked, expired', async () => {
    const revoked = await h.accounts.addUser({ name: 'rev', client: 'police', roles: ['operator'] }, 'test');
    await h.accounts.revokeKey(revoked.keyPrefix, 'test');
    const expiring = await h.accounts.addUser({ name: 'exp', client: 'police', roles: ['operator'], keyDays: 1 }, 'test');
    advance(2 * 86_400_000);
    const bad = ['Bearer not-a-key', `Bearer lk_000000000000_${'A'.repeat(43)}`, wrongSecret(), `Bearer ${revoked.key}`, `Bearer ${expiring.key}`];
    const answers = await Promise.all(bad.map(async (key, i) => (await me(key, `10.1.0.${i}`)).json()));
    assert.equal(new Set(answers.map((a) => JSON.stringify(a))).size, 1, JSON.stringify(answers));
    assert.equal(answers[0].code, 'LIKENESS_UNAUTHENTICATED');
  });

  it('makes an address wait after 5 failures, twice as long each time, whatever key it then shows', async () => {
    const from = '10.2.0.1';
    for (let i = 0; i < 5; i++) assert.equal((await me(unknownKey(), from)).statusCode, 401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      assert.equal((await me(unknownKey(), from)).statusCode, 401);
      const held = await me(h.as.investigator.authorization, from);
      assert.equal(held.statusCode, 429, held.body);
      assert.equal(held.json().code, 'LIKENESS_AUTH_BACKOFF');
      waits.push(Number(held.headers['retry-after']));
      advance(waits.at(-1)! * 1000);
    }
    assert.deepEqual(waits, [1, 2, 4]);
    assert.equal((await me(h.as.investigator.authorization, from)).statusCode, 200);
    assert.equal((await me(h.as.investigator.authorization, '10.2.0.2')).statusCode, 200, 'another address is not held');
  });

  it('makes a key prefix wait after 5 failures, however many addresses guess at it', async () => {
    const target = `Bearer ${(await h.accounts.addUser({ name: 'target', client: 'police', roles: ['operator'] }, 'test')).key}`;
    for (let i = 0; i < 6; i++) assert.equal((await me(wrongSecret(target), `10.3.0.${i}`)).statusCode, 401);
    const held = await me(target, '10.3.1.1');
    assert.equal(held.statusCode, 429, held.body);
    advance(1000);
    assert.equal((await me(target, '10.3.1.1')).statusCode, 200);
  });

  it('audits a burst of 300 tries as one entry once it is over, not 300', async () => {
    advance(60 * 60_000);
    await me(h.as.investigator.authorization, '10.4.0.9'); // closes the earlier bursts
    const before = (await failures()).length;
    for (let i = 0; i < 300; i++) await me(unknownKey(), '10.4.0.1');
    assert.equal((await failures()).length, before, 'nothing written while the burst goes on');
    advance(16 * 60_000);
    assert.equal((await me(h.as.investigator.authorization, '10.4.0.9')).statusCode, 200);
    const written = (await failures()).slice(0, (await failures()).length - before);
    assert.equal(written.length, 1);
    const details = written[0]!.details as { ip: string; failures: number; refusedWhileWaiting: number };
    assert.equal(details.ip, '10.4.0.1');
    assert.equal(details.failures + details.refusedWhileWaiting, 300);
    assert.equal((await h.services.audit.verify()).intact, true);
  });
});
