import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROLES, type Role } from '../../src/domain/accounts.ts';
import { directoryImageFinder } from '../../src/repositories/files/directory-image-finder.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart } from '../helpers/multipart.ts';

type Headers = { authorization: string };

// The attacks of issue 15 against the production wiring: "police" is the controller and is
// granted the gallery "default"; "agency" is another client granted "default" too; "other" is
// a client granted nothing. docs/architecture.md, "Authorisation".
describe('HTTP authorisation: gallery grants and the controller\'s roles hold whatever the roles combined', () => {
  let h: ApiHarness;
  let faceId: string;
  let folder: string;
  const as: Record<string, Headers> = {};

  before(async () => {
    h = await apiHarness();
    // Removed in after(): a folder made in a before() hook must outlive that hook.
    folder = mkdtempSync(join(tmpdir(), 'likeness-authz-'));
    writeFileSync(join(folder, 'a.png'), fakeImage(31));
    writeFileSync(join(folder, 'b.png'), fakeImage(32));
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'album', kind: 'directory', uri: folder, legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    const summary = await (await h.services.ingest()).ingest(await directoryImageFinder.list(folder), 'album', { actor: { actor: 'local:test', client: null } });
    assert.equal(summary.faces, 2);
    faceId = (await h.store.faces.activeIdsBySource(declared.json().id))[0]!;

    await h.accounts.addClient({ name: 'agency', type: 'government', jurisdiction: 'FR' }, 'test');
    await h.accounts.grantGallery('agency', 'default', 'test');
    const user = async (name: string, client: string, roles: string[]) =>
      ({ authorization: `Bearer ${(await h.accounts.addUser({ name, client, roles }, 'test')).key}` });
    as.otherInvestigatorSupervisor = await user('mallory', 'other', ['investigator', 'supervisor']);
    as.otherEveryRole = await user('eve', 'other', ['operator', 'investigator', 'supervisor', 'auditor', 'dpo']);
    as.otherOperator = await user('oscar', 'other', ['operator']);
    as.otherDpo = await user('dave', 'other', ['dpo']);
    as.agencyInvestigator = await user('ines', 'agency', ['investigator']);
    as.agencyOperatorDpo = await user('oda', 'agency', ['operator', 'dpo']);
  });
  after(async () => {
    await h.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const crop = (headers: Headers) => h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/crop`, headers });

  it('cuts the crop for investigators of clients granted the gallery, and for the controller\'s operator', async () => {
    for (const headers of [h.as.investigator, as.agencyInvestigator!, h.as.operator, h.as.dpo]) {
      const res = await crop(headers);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'image/jpeg');
    }
  });

  it('refuses the crop to an investigator,supervisor of a client not granted the gallery (issue 15, finding 1)', async () => {
    const res = await crop(as.otherInvestigatorSupervisor!);
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'LIKENESS_FORBIDDEN');
    assert.match(res.json().message, /not granted/);
  });

  it('refuses the crop to a user of that client holding every role, and to another client\'s operator and DPO', async () => {
    for (const headers of [as.otherEveryRole!, as.agencyOperatorDpo!, as.otherOperator!, as.otherDpo!]) {
      const res = await crop(headers);
      assert.equal(res.statusCode, 403, res.body);
    }
  });

  it('refuses provenance to operators and DPOs of clients other than the controller', async () => {
    for (const headers of [as.otherOperator!, as.agencyOperatorDpo!, as.otherEveryRole!]) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/provenance`, headers });
      assert.equal(res.statusCode, 403, res.body);
    }
    assert.equal((await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/provenance`, headers: h.as.dpo })).statusCode, 200);
  });

  it('a client\'s operator deletes no face, granted or not (issue 15, finding 2); the face stays searchable', async () => {
    for (const headers of [as.otherOperator!, as.otherEveryRole!, as.agencyOperatorDpo!]) {
      const res = await h.app.inject({ method: 'DELETE', url: `/v1/faces/${faceId}`, headers });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'LIKENESS_FORBIDDEN');
    }
    assert.equal((await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}`, headers: h.as.operator })).statusCode, 200);
    const refused = await h.services.audit.list({ action: 'access.refused', limit: 50 });
    assert.ok(refused.some((e) => e.details.action === 'face.delete'), 'the refused deletion is audited');
  });

  it('a client\'s operator neither reads nor changes the catalogue, nor uploads', async () => {
    const headers = as.otherOperator!;
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/galleries', headers })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/sources', headers })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/galleries', headers, payload: { name: 'mine' } })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/sources/album/retire?erase=true', headers })).statusCode, 403);
    const upload = multipart([{ name: 'images', filename: 'x.png', data: fakeImage(40) }]);
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources/album/images', headers: { ...headers, ...upload.headers }, payload: upload.payload });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal((await h.store.galleries.list()).length, 1);
    assert.equal((await h.store.sources.findByName('album'))?.status, 'active');
  });

  it('a client\'s DPO reads no subject request or access report; the controller\'s DPO does (issue 15, finding 2)', async () => {
    for (const headers of [as.otherDpo!, as.agencyOperatorDpo!, as.otherEveryRole!]) {
      for (const url of ['/v1/dpo/requests', '/v1/dpo/requests/r1/report', '/v1/dpo/requests/r1/report.html', '/v1/dpo/records-of-processing']) {
        const res = await h.app.inject({ method: 'GET', url, headers });
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
      }
      assert.equal((await h.app.inject({ method: 'POST', url: '/v1/dpo/requests/r1/execute', headers })).statusCode, 403);
    }
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/dpo/requests', headers: h.as.dpo })).statusCode, 200);
    // Past the authorisation, the controller's DPO learns only that there is no such request.
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/dpo/requests/r1/report', headers: h.as.dpo })).statusCode, 404);
  });

  it('a case file and a search\'s reviews stay within the client, whatever roles the other client\'s user holds', async () => {
    const probe = multipart([{ name: 'image', filename: 'p.png', data: fakeImage(31) }, { name: 'caseNumber', value: 'K-15' }, { name: 'purpose', value: 'theft' }]);
    const searched = await h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...probe.headers }, payload: probe.payload });
    assert.equal(searched.statusCode, 200, searched.body);
    const { searchId, candidates } = searched.json();
    const review = { faceId: candidates[0].faceId, disposition: 'likely-match', reason: 'same scar' };
    for (const headers of [as.otherInvestigatorSupervisor!, as.otherEveryRole!, as.agencyInvestigator!]) {
      assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-15', headers })).statusCode, 404);
      assert.equal((await h.app.inject({ method: 'GET', url: `/v1/searches/${searchId}/reviews`, headers })).statusCode, 404);
      assert.equal((await h.app.inject({ method: 'POST', url: `/v1/searches/${searchId}/reviews`, headers, payload: review })).statusCode, 404);
    }
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-15', headers: h.as.supervisor })).statusCode, 200);
    assert.equal((await h.app.inject({ method: 'POST', url: `/v1/searches/${searchId}/reviews`, headers: h.as.investigator, payload: review })).statusCode, 201);
  });

  it('the controller\'s operator deletes the face', async () => {
    assert.equal((await h.app.inject({ method: 'DELETE', url: `/v1/faces/${faceId}`, headers: h.as.operator })).statusCode, 204);
    assert.equal((await crop(h.as.investigator)).statusCode, 404);
  });
});

// Every route of /v1/admin against every combination of the 6 roles, on a user of the controller
// ("police") and of another client ("other"): only a controller's user holding admin gets past the
// authorisation, whatever else they hold. docs/architecture.md, "Authorisation".
describe('HTTP authorisation: /v1/admin answers 403 to every role combination but the controller\'s admin', () => {
  let h: ApiHarness;
  const users: Array<{ roles: Role[]; client: 'police' | 'other'; headers: Headers }> = [];

  // Calls that change nothing when allowed (they name what does not exist, or are refused by the
  // service's own checks), so the table can run them all for every user.
  const ROUTES: Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object; allowed: number }> = [
    { method: 'GET', url: '/v1/admin/clients', allowed: 200 },
    { method: 'POST', url: '/v1/admin/clients', payload: { name: 'x', type: 'ngo', jurisdiction: 'France' }, allowed: 400 },
    { method: 'GET', url: '/v1/admin/galleries', allowed: 200 },
    { method: 'PUT', url: '/v1/admin/clients/nobody/galleries/default', allowed: 404 },
    { method: 'DELETE', url: '/v1/admin/clients/nobody/galleries/default', allowed: 404 },
    { method: 'GET', url: '/v1/admin/users', allowed: 200 },
    { method: 'POST', url: '/v1/admin/users', payload: { name: 'z', client: 'nobody', roles: ['investigator'] }, allowed: 404 },
    { method: 'PUT', url: '/v1/admin/users/nobody/roles', payload: { roles: ['auditor'] }, allowed: 404 },
    { method: 'POST', url: '/v1/admin/users/nobody/disable', allowed: 404 },
    { method: 'POST', url: '/v1/admin/users/nobody/enable', allowed: 404 },
    { method: 'DELETE', url: '/v1/admin/users/nobody', allowed: 404 },
    { method: 'GET', url: '/v1/admin/keys?prefix=ab', allowed: 200 },
    { method: 'POST', url: '/v1/admin/users/nobody/keys', payload: { days: 30 }, allowed: 404 },
    { method: 'POST', url: '/v1/admin/users/nobody/second-factor', allowed: 404 },
    { method: 'DELETE', url: '/v1/admin/keys/000000000000', allowed: 404 },
  ];

  before(async () => {
    h = await apiHarness();
    const subsets = Array.from({ length: 2 ** ROLES.length }, (_, mask) => ROLES.filter((_, i) => mask & (1 << i)));
    for (const client of ['police', 'other'] as const) {
      for (const [i, roles] of subsets.entries()) {
        if (roles.length === 0) continue;
        const made = await h.accounts.addUser({ name: `${client}-${i}`, client, roles }, 'test');
        users.push({ roles, client, headers: { authorization: `Bearer ${made.key}` } });
      }
    }
  });
  after(async () => h.close());

  it('covers the 63 non-empty combinations of the 6 roles on each client', () => {
    assert.equal(ROLES.length, 6);
    assert.equal(users.length, 126);
    assert.equal(new Set(users.map((u) => `${u.client}:${u.roles.join(',')}`)).size, 126);
  });

  it('every admin route: 403 unless the user holds admin and belongs to the controller; past it, the route\'s own answer', async () => {
    const wrong: string[] = [];
    let refused = 0;
    for (const user of users) {
      const allowed = user.client === 'police' && user.roles.includes('admin');
      for (const route of ROUTES) {
        const res = await h.app.inject({ method: route.method, url: route.url, headers: user.headers, ...(route.payload ? { payload: route.payload } : {}) });
        const expected = allowed ? route.allowed : 403;
        if (res.statusCode === 403) refused++;
        if (res.statusCode !== expected || (expected === 403 && res.json().code !== 'LIKENESS_FORBIDDEN')) {
          wrong.push(`${user.client} [${user.roles.join(',')}] ${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    // 94 users are not the controller's admins (63 of "other", 31 of "police" without admin).
    assert.equal(refused, 94 * ROUTES.length);
    assert.equal((await h.store.accounts.clients.list()).length, 2, 'no client was added');
    const refusals = await h.services.audit.list({ action: 'access.refused', limit: 500 });
    assert.ok(refusals.some((e) => e.details.action === 'accounts.write'), 'a refused write is audited with its action');
  });
});
