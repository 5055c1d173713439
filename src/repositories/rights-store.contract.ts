import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubjectRequest } from '../domain/subjects.ts';
import type { Store } from '../ports/store.ts';
import { at, face, image } from './contract-fixtures.ts';

const request = (id: string, dueAt: string, fields: Partial<SubjectRequest> = {}): SubjectRequest => ({
  id, kind: 'access', contact: `${id}@example.org`, status: 'received', receivedAt: at, dueAt, originalDueAt: dueAt,
  extension: null, verification: { liveness: { score: 0.9, passed: true, modelId: 'live' }, document: null },
  decision: null, matches: null, threshold: null, exclusions: [], completedAt: null, modelId: 'm1', ...fields,
});

const template = Float32Array.from({ length: 8 }, (_, i) => Math.fround(0.1 * i - 0.35));

/** Subject requests, the suppression list, the erasure ledger and the queries behind the rights. */
export function rightsContract(name: string, seeded: () => Promise<Store>): void {
  describe(`${name}: rights contract`, () => {
    it('keeps a request with its token hash and template, updates it, drops the template, lists open ones by due date', async () => {
      const store = await seeded();
      const { requests } = store.rights;
      await requests.create(request('r1', '2026-02-10T00:00:00.000Z'), { tokenHash: 'th1', template });
      await requests.create(request('r2', '2026-02-01T00:00:00.000Z'), { tokenHash: 'th2', template });
      await requests.create(request('r3', '2026-01-20T00:00:00.000Z', { status: 'completed' }), { tokenHash: 'th3', template });
      assert.deepEqual(await requests.findById('r1'), request('r1', '2026-02-10T00:00:00.000Z'));
      assert.equal(await requests.tokenHash('r1'), 'th1');
      assert.deepEqual(await requests.template('r1'), template);
      const approved = request('r1', '2026-02-10T00:00:00.000Z', {
        status: 'approved', decision: { by: 'dpo', at, reason: null }, matches: [{ faceId: 'f1', score: 0.87654321 }], threshold: 0.55,
      });
      await requests.update(approved);
      assert.deepEqual(await requests.findById('r1'), approved);
      await requests.dropTemplate('r1');
      assert.equal(await requests.template('r1'), undefined);
      assert.deepEqual((await requests.listOpen()).map((r) => r.id), ['r2', 'r1']);
      assert.equal((await requests.list({ limit: 2 })).length, 2);
      assert.equal(await requests.findById('nope'), undefined);
      await store.close();
    });

    it('changes the suppression version on every entry, keeps the ledger in order', async () => {
      const store = await seeded();
      const { suppression, ledger } = store.rights;
      const empty = await suppression.version();
      await suppression.add({ id: 'x1', requestId: 'r1', modelId: 'm1', template, createdAt: at });
      const one = await suppression.version();
      await suppression.add({ id: 'x2', requestId: null, modelId: 'm1', template, createdAt: at });
      assert.equal(new Set([empty, one, await suppression.version()]).size, 3);
      assert.deepEqual((await suppression.list()).map((e) => [e.id, [...e.template]]), [['x1', [...template]], ['x2', [...template]]]);
      assert.equal(await suppression.countForRequest('r1'), 1);
      const erased = { at, actor: 'dpo', reason: 'subject-erasure' as const, requestId: 'r1', faceIds: ['f1'], imageSha256: ['aa'] };
      await ledger.append({ id: 'e2', ...erased });
      await ledger.append({ id: 'e1', ...erased, reason: 'retention', requestId: null });
      assert.deepEqual((await ledger.list()).map((e) => [e.id, e.reason]), [['e2', 'subject-erasure'], ['e1', 'retention']]);
      assert.deepEqual([await ledger.has('e1'), await ledger.has('e3')], [true, false]);
      await store.close();
    });

    it('finds expired faces, deletes only images left without faces, and names recipients of erased faces', async () => {
      const store = await seeded();
      await store.images.insertWithFaces(image('i1', 'aa'), [face('f1', 'i1', 1, { expiresAt: '2026-01-05T00:00:00.000Z' })]);
      await store.images.insertWithFaces(image('i2', 'bb'), [
        face('f2', 'i2', 2, { expiresAt: '2027-01-01T00:00:00.000Z', createdAt: '2020-01-01T00:00:00.000Z' }),
        face('f3', 'i2', 3, { expiresAt: '2027-01-01T00:00:00.000Z' }),
        face('f4', 'i2', 4, { expiresAt: '2026-01-01T00:00:00.000Z', status: 'deleted' }),
      ]);
      const now = '2026-01-06T00:00:00.000Z';
      assert.deepEqual(await store.rights.expiredFaceIds(now, '2023-01-01T00:00:00.000Z', 10), ['f1', 'f2']);
      assert.deepEqual(await store.rights.expiredFaceIds(now, '2023-01-01T00:00:00.000Z', 1), ['f1']);

      await store.accounts.clients.create({ id: 'c1', name: 'Police', type: 'law-enforcement', jurisdiction: 'FR', createdAt: at });
      await store.accounts.users.create({ id: 'u1', name: 'ana', clientId: 'c1', roles: ['investigator'], createdAt: at });
      await store.accounts.searches.create({
        id: 's1', userId: 'u1', clientId: 'c1', caseNumber: 'k', purpose: 'p', galleries: ['g1'], probeSha256: 'ab', threshold: 0.41,
        results: [{ faceId: 'f1', score: 0.9 }, { faceId: 'f3', score: 0.5 }], at,
      });
      await store.faces.deleteByIds(['f1', 'f2']);
      assert.deepEqual(await store.rights.deleteImagesWithoutFaces(['i1', 'i2', 'unknown']), ['i1']);
      assert.equal(await store.images.findBySha256('s1', 'aa'), undefined);
      assert.deepEqual(await store.rights.recipients(['f1']), [
        { faceId: 'f1', searchId: 's1', clientId: 'c1', clientName: 'Police', clientType: 'law-enforcement', at },
      ]);
      assert.deepEqual(await store.rights.recipients([]), []);
      await store.close();
    });
  });
}
