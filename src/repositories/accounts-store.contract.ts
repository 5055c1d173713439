import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry, SearchKind, SearchRecord } from '../domain/accounts.ts';
import type { SearchListQuery } from '../ports/accounts-store.ts';
import type { Store } from '../ports/store.ts';
import { at } from './contract-fixtures.ts';

const client = { id: 'c1', name: 'Police', type: 'law-enforcement' as const, jurisdiction: 'FR', createdAt: at };
const user = { id: 'u1', name: 'ana', clientId: 'c1', roles: ['investigator' as const, 'supervisor' as const], createdAt: at };

const entry = (seq: number, fields: Partial<AuditEntry> = {}): AuditEntry => ({
  seq, at: `2026-01-0${seq}T00:00:00.000Z`, actor: 'u1', client: 'c1', action: 'search', target: null,
  details: { n: seq, nested: { ok: true } }, prevHash: String(seq - 1).padStart(64, '0'), hash: String(seq).padStart(64, '0'), ...fields,
});

const search = (id: string, minute: number, results: SearchRecord['results'] = [], kind: SearchKind = 'search'): SearchRecord => ({
  id, kind, userId: 'u1', clientId: 'c1', caseNumber: 'case-1', purpose: 'theft', galleries: ['g1'], probeSha256: 'ab',
  threshold: 0.41, results, at: `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
});

/** Clients, users, keys, searches and the audit chain: what every Store's accounts must do. */
export function accountsContract(name: string, seeded: () => Promise<Store>): void {
  async function withAccount(): Promise<Store> {
    const store = await seeded();
    await store.accounts.clients.create(client);
    await store.accounts.users.create(user);
    return store;
  }

  describe(`${name}: accounts contract`, () => {
    it('round-trips clients, users and keys; grants once; revokes a key once', async () => {
      const store = await withAccount();
      const { accounts } = store;
      assert.deepEqual(await accounts.clients.findByName('Police'), client);
      assert.deepEqual(await accounts.users.findById('u1'), user);
      assert.deepEqual(await accounts.users.listByClient('c1'), [user]);
      await accounts.clients.grantGallery('c1', 'g1', at);
      await accounts.clients.grantGallery('c1', 'g1', at);
      assert.deepEqual(await accounts.clients.grantedGalleryIds('c1'), ['g1']);
      const key = { prefix: 'lk_1', userId: 'u1', hash: 'scrypt$x', createdAt: at, expiresAt: '2027-01-01T00:00:00.000Z', revokedAt: null };
      await accounts.keys.create(key);
      assert.deepEqual(await accounts.keys.findByPrefix('lk_1'), key);
      assert.equal(await accounts.keys.revoke('lk_1', at), true);
      assert.equal(await accounts.keys.revoke('lk_1', at), false);
      assert.equal(await accounts.keys.revoke('nope', at), false);
      assert.equal((await accounts.keys.findByPrefix('lk_1'))?.revokedAt, at);
      await store.close();
    });

    it('keeps a password and a TOTP secret per user, and takes each TOTP step once, later steps only', async () => {
      const store = await withAccount();
      const { credentials } = store.accounts;
      assert.equal(await credentials.find('u1'), undefined);
      assert.equal(await credentials.useTotpStep('u1', 5), false, 'no secret, no step');
      await credentials.setPassword('u1', 'scrypt$p1', at);
      await credentials.setTotp('u1', 'MZXW6YTBOI', '2026-01-02T00:00:00.000Z');
      assert.deepEqual(await credentials.find('u1'), {
        userId: 'u1', passwordHash: 'scrypt$p1', passwordSetAt: at, totpSecret: 'MZXW6YTBOI', totpEnrolledAt: '2026-01-02T00:00:00.000Z', totpLastStep: null,
      });
      assert.equal(await credentials.useTotpStep('u1', 59_000_000), true);
      assert.equal(await credentials.useTotpStep('u1', 59_000_000), false, 'the same step again is a replay');
      assert.equal(await credentials.useTotpStep('u1', 58_999_999), false, 'an earlier step too');
      assert.equal(await credentials.useTotpStep('u1', 59_000_001), true);
      await credentials.setPassword('u1', 'scrypt$p2', '2026-01-03T00:00:00.000Z');
      assert.deepEqual(await credentials.find('u1'), {
        userId: 'u1', passwordHash: 'scrypt$p2', passwordSetAt: '2026-01-03T00:00:00.000Z', totpSecret: 'MZXW6YTBOI',
        totpEnrolledAt: '2026-01-02T00:00:00.000Z', totpLastStep: 59_000_001,
      }, 'a new password leaves the second factor alone');
      await credentials.setTotp('u1', 'NEWSECRET', at);
      assert.equal((await credentials.find('u1'))?.totpLastStep, null, 'a new secret starts with no step used');
      await credentials.setTotp('u1', null, at);
      assert.deepEqual([(await credentials.find('u1'))?.totpSecret, (await credentials.find('u1'))?.passwordHash], [null, 'scrypt$p2']);
      await store.close();
    });

    it('uses each recovery code once, and forgets the old ones when they are replaced', async () => {
      const store = await withAccount();
      const { credentials } = store.accounts;
      await credentials.replaceRecoveryCodes('u1', ['h1', 'h2', 'h3'], at);
      assert.deepEqual((await credentials.unusedRecoveryCodes('u1')).sort(), ['h1', 'h2', 'h3']);
      assert.equal(await credentials.useRecoveryCode('u1', 'h2', at), true);
      assert.equal(await credentials.useRecoveryCode('u1', 'h2', at), false, 'used once only');
      assert.equal(await credentials.useRecoveryCode('u9', 'h1', at), false, 'not another user\'s');
      assert.deepEqual((await credentials.unusedRecoveryCodes('u1')).sort(), ['h1', 'h3']);
      await credentials.replaceRecoveryCodes('u1', ['h4'], at);
      assert.deepEqual(await credentials.unusedRecoveryCodes('u1'), ['h4']);
      assert.equal(await credentials.useRecoveryCode('u1', 'h1', at), false);
      await store.close();
    });

    it('finds a session by id, moves its last use on, revokes it once, and every session of a user', async () => {
      const store = await withAccount();
      const { sessions } = store.accounts;
      const session = (id: string) => ({ id, userId: 'u1', createdAt: at, lastSeenAt: at, expiresAt: '2026-01-01T12:00:00.000Z', revokedAt: null });
      await sessions.create(session('s1'));
      await sessions.create(session('s2'));
      await sessions.create(session('s3'));
      assert.deepEqual(await sessions.find('s1'), session('s1'));
      assert.equal(await sessions.find('nope'), undefined);
      await sessions.touch('s1', '2026-01-01T00:10:00.000Z');
      await sessions.touch('s1', '2026-01-01T00:05:00.000Z');
      assert.equal((await sessions.find('s1'))?.lastSeenAt, '2026-01-01T00:10:00.000Z', 'a late touch does not move it back');
      assert.equal(await sessions.revoke('s1', at), true);
      assert.equal(await sessions.revoke('s1', at), false);
      assert.equal((await sessions.find('s1'))?.revokedAt, at);
      assert.equal(await sessions.revokeForUser('u1', '2026-01-01T01:00:00.000Z'), 2);
      assert.equal((await sessions.find('s3'))?.revokedAt, '2026-01-01T01:00:00.000Z');
      await store.close();
    });

    it('deletes the sessions whose absolute end is past a cutoff, revoked or not, and keeps the others', async () => {
      const store = await withAccount();
      const { sessions } = store.accounts;
      const session = (id: string, expiresAt: string) => ({ id, userId: 'u1', createdAt: at, lastSeenAt: at, expiresAt, revokedAt: null });
      await sessions.create(session('ended', '2026-01-01T12:00:00.000Z'));
      await sessions.create(session('revoked', '2026-01-01T12:00:00.000Z'));
      await sessions.revoke('revoked', at);
      await sessions.create(session('open', '2026-01-02T12:00:00.000Z'));
      assert.equal(await sessions.deleteEndedBefore('2026-01-01T12:00:00.000Z'), 0, 'a session ending at the cutoff stays');
      assert.equal(await sessions.deleteEndedBefore('2026-01-02T00:00:00.000Z'), 2);
      assert.equal(await sessions.find('ended'), undefined);
      assert.equal(await sessions.find('revoked'), undefined);
      assert.equal((await sessions.find('open'))?.id, 'open');
      await store.close();
    });

    it('lists users by name in pages, changes roles, disables and enables, deletes a user with their keys', async () => {
      const store = await withAccount();
      const { accounts } = store;
      await accounts.clients.create({ ...client, id: 'c2', name: 'Agency' });
      await accounts.users.create({ id: 'u2', name: 'bob', clientId: 'c2', roles: ['auditor'], createdAt: at });
      await accounts.users.create({ id: 'u3', name: 'cy', clientId: 'c1', roles: ['admin'], createdAt: at });
      assert.deepEqual((await accounts.users.list({ limit: 2 })).map((u) => u.name), ['ana', 'bob']);
      assert.deepEqual((await accounts.users.list({ limit: 2, after: 'bob' })).map((u) => u.name), ['cy']);
      assert.deepEqual((await accounts.users.list({ limit: 10, clientId: 'c1' })).map((u) => u.name), ['ana', 'cy']);
      await accounts.users.setRoles('u2', ['auditor', 'dpo']);
      await accounts.users.setDisabled('u2', at);
      assert.deepEqual(await accounts.users.findById('u2'), { id: 'u2', name: 'bob', clientId: 'c2', roles: ['auditor', 'dpo'], createdAt: at, disabledAt: at });
      await accounts.users.setDisabled('u2', null);
      assert.equal((await accounts.users.findById('u2'))?.disabledAt, undefined);
      const key = (prefix: string, userId: string, createdAt: string) => ({ prefix, userId, hash: 'scrypt$x', createdAt, expiresAt: '2027-01-01T00:00:00.000Z', revokedAt: null });
      await accounts.keys.create(key('aa11', 'u2', '2026-01-01T00:00:00.000Z'));
      await accounts.keys.create(key('aa22', 'u2', '2026-01-02T00:00:00.000Z'));
      await accounts.keys.create(key('bb33', 'u1', '2026-01-03T00:00:00.000Z'));
      assert.deepEqual((await accounts.keys.list({ userId: 'u2', limit: 10 })).map((k) => k.prefix), ['aa22', 'aa11']);
      assert.deepEqual((await accounts.keys.list({ prefix: 'aa', limit: 1 })).map((k) => k.prefix), ['aa22']);
      assert.deepEqual((await accounts.keys.list({ prefix: '%', limit: 10 })).map((k) => k.prefix), ['bb33', 'aa22', 'aa11'], 'a pattern character is no pattern');
      assert.equal(await accounts.users.hasRecords('u2'), false);
      await accounts.users.delete('u2');
      assert.equal(await accounts.users.findById('u2'), undefined);
      assert.deepEqual((await accounts.keys.list({ limit: 10 })).map((k) => k.prefix), ['bb33']);
      await accounts.searches.create(search('s1', 1));
      assert.equal(await accounts.users.hasRecords('u1'), true);
      await store.close();
    });

    it('withdraws a gallery grant once', async () => {
      const store = await withAccount();
      await store.accounts.clients.grantGallery('c1', 'g1', at);
      assert.equal(await store.accounts.clients.revokeGallery('c1', 'g1'), true);
      assert.equal(await store.accounts.clients.revokeGallery('c1', 'g1'), false);
      assert.deepEqual(await store.accounts.clients.grantedGalleryIds('c1'), []);
      await store.close();
    });

    it('commits all of an atomic unit or nothing of it', async () => {
      const store = await withAccount();
      await assert.rejects(store.transaction(async ({ accounts: tx }) => {
        await tx.searches.create(search('s1', 1, [{ faceId: 'f1', score: 0.5 }]));
        await tx.audit.append(entry(1));
        throw new Error('the search could not be answered');
      }), /could not be answered/);
      assert.equal(await store.accounts.audit.last(), undefined);
      assert.deepEqual(await store.accounts.searches.listByClient('c1', { limit: 10 }), []);
      const kept = await store.transaction(async ({ accounts: tx }) => {
        await tx.searches.create(search('s2', 2));
        await tx.audit.append(entry(1));
        return (await tx.audit.last())?.seq;
      });
      assert.equal(kept, 1);
      assert.equal((await store.accounts.searches.listByClient('c1', { limit: 10 })).length, 1);
      await store.close();
    });

    it('pages through searches made at the same instant without skipping any', async () => {
      const store = await withAccount();
      const { searches } = store.accounts;
      for (const id of ['s-b', 's-c', 's-a', 's-d']) await searches.create(search(id, 5));
      await searches.create(search('s-old', 4));
      const first = await searches.listByClient('c1', { limit: 2 });
      assert.deepEqual(first.map((s) => s.id), ['s-a', 's-b']);
      const last = first[1]!;
      const next = await searches.listByClient('c1', { limit: 2, before: last.at, beforeId: last.id });
      assert.deepEqual(next.map((s) => s.id), ['s-c', 's-d']);
      const after = await searches.listByClient('c1', { limit: 2, before: next[1]!.at, beforeId: next[1]!.id });
      assert.deepEqual(after.map((s) => s.id), ['s-old']);
      await store.close();
    });

    it('lists searches newest first with exact scores, and counts them in a window', async () => {
      const store = await withAccount();
      const { searches } = store.accounts;
      for (const minute of [1, 2, 3]) await searches.create(search(`s${minute}`, minute, [{ faceId: 'f1', score: 0.123456789 }]));
      const listed = await searches.listByClient('c1', { limit: 2 });
      assert.deepEqual(listed, [search('s3', 3, [{ faceId: 'f1', score: 0.123456789 }]), search('s2', 2, [{ faceId: 'f1', score: 0.123456789 }])]);
      assert.deepEqual((await searches.listByClient('c1', { limit: 5, before: listed[1]!.at })).map((s) => s.id), ['s1']);
      assert.equal(await searches.countSince({ userId: 'u1' }, search('', 2).at), 2);
      assert.equal(await searches.countSince({ clientId: 'c1' }, search('', 0).at), 3);
      assert.equal(await searches.nthLatestAt({ userId: 'u1' }, 2, search('', 0).at), search('', 2).at);
      assert.equal(await searches.nthLatestAt({ clientId: 'c1' }, 4, search('', 0).at), undefined);
      await store.accounts.users.create({ ...user, id: 'u2', name: 'bo' });
      await searches.create({ ...search('s4', 4), userId: 'u2', caseNumber: 'case-2' });
      const ids = async (options: Partial<SearchListQuery>) => (await searches.listByClient('c1', { limit: 10, ...options })).map((s) => s.id);
      assert.deepEqual(await ids({ userId: 'u2' }), ['s4']);
      assert.deepEqual(await ids({ caseNumber: 'case-1' }), ['s3', 's2', 's1']);
      assert.deepEqual(await ids({ caseNumber: 'CASE-1' }), [], 'a case number is matched exactly');
      assert.deepEqual(await ids({ from: search('', 2).at, to: search('', 4).at }), ['s3', 's2'], 'from is inclusive, to exclusive');
      await store.close();
    });

    it('completes an admitted search with its results, and counts comparisons and detections apart from searches', async () => {
      const store = await withAccount();
      const { searches } = store.accounts;
      await store.transaction((tx) => tx.accounts.searches.create(search('s1', 1)));
      await store.transaction((tx) => tx.accounts.searches.complete('s1', { threshold: 0.5, results: [{ faceId: 'f1', score: 0.75 }] }));
      assert.deepEqual(await searches.listByClient('c1', { limit: 5 }), [{ ...search('s1', 1, [{ faceId: 'f1', score: 0.75 }]), threshold: 0.5 }]);
      // A pivot's probe is known once it ran: the completion records it.
      await searches.create(search('p1', 0));
      await searches.complete('p1', { threshold: 0.6, results: [], probeSha256: 'cd' });
      assert.deepEqual((await searches.listByClient('c1', { limit: 5 })).find((s) => s.id === 'p1'), { ...search('p1', 0), threshold: 0.6, probeSha256: 'cd' });
      await searches.create(search('k1', 2, [], 'compare'));
      await searches.create(search('d1', 2, [], 'detect'));
      await searches.create(search('d2', 3, [], 'detect'));
      const since = search('', 0).at;
      assert.equal(await searches.countSince({ userId: 'u1' }, since), 2);
      assert.equal(await searches.countSince({ userId: 'u1' }, since, 'compare'), 1);
      assert.equal(await searches.countSince({ clientId: 'c1' }, since, 'detect'), 2);
      assert.equal(await searches.nthLatestAt({ userId: 'u1' }, 2, since, 'detect'), search('', 2).at);
      assert.deepEqual((await searches.listByClient('c1', { limit: 5 })).map((s) => s.id), ['s1', 'p1'], 'the supervisor\'s list holds searches only');
      await store.close();
    });

    it('gives the audit chain back in order, filtered, newest first or streamed in batches', async () => {
      const store = await withAccount();
      const entries = [entry(1), entry(2, { action: 'login', client: null }), entry(3), entry(4, { client: 'c2' })];
      for (const e of entries) await store.transaction((tx) => tx.accounts.audit.append(e));
      const { audit } = store.accounts;
      assert.deepEqual(await audit.last(), entries[3]);
      assert.deepEqual((await audit.list({ limit: 10 })).map((e) => e.seq), [4, 3, 2, 1]);
      assert.deepEqual((await audit.list({ client: 'c1', action: 'search', limit: 10 })).map((e) => e.seq), [3, 1]);
      assert.deepEqual((await audit.list({ limit: 1, beforeSeq: 3 })).map((e) => e.seq), [2]);
      const batches: number[][] = [];
      for await (const batch of audit.stream({ batchSize: 3 })) batches.push(batch.map((e) => e.seq));
      assert.deepEqual(batches, [[1, 2, 3], [4]]);
      const window: AuditEntry[] = [];
      for await (const batch of audit.stream({ from: entries[1]!.at, to: entries[3]!.at })) window.push(...batch);
      assert.deepEqual(window, [entries[1], entries[2]]);
      await store.transaction((tx) => tx.accounts.audit.append(entry(5, { actor: 'u2' })));
      assert.deepEqual((await audit.list({ actor: 'u2', limit: 10 })).map((e) => e.seq), [5]);
      assert.deepEqual((await audit.list({ client: 'c1', from: entries[1]!.at, to: entries[3]!.at, limit: 10 })).map((e) => e.seq), [3], 'from is inclusive, to exclusive');
      assert.deepEqual((await audit.list({ actor: 'u1', action: 'search', limit: 1, beforeSeq: 4 })).map((e) => e.seq), [3]);
      await store.close();
    });
  });
}
