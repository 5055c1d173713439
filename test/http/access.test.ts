import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

type Method = 'GET' | 'POST' | 'DELETE';
type RoleName = 'operator' | 'investigator' | 'supervisor' | 'auditor' | 'dpo';
const ROLES: RoleName[] = ['operator', 'investigator', 'supervisor', 'auditor', 'dpo'];

// Every protected route and the roles that may call it.
const ROUTES: Array<[Method, string, RoleName[]]> = [
  ['GET', '/v1/galleries', ['operator']],
  ['POST', '/v1/galleries', ['operator']],
  ['GET', '/v1/sources', ['operator']],
  ['POST', '/v1/sources', ['operator']],
  ['POST', '/v1/sources/press/images', ['operator']],
  ['POST', '/v1/search', ['investigator']],
  ['POST', '/v1/compare', ['investigator']],
  ['GET', '/v1/faces/f1', ['operator']],
  ['DELETE', '/v1/faces/f1', ['operator']],
  ['GET', '/v1/searches', ['supervisor']],
  ['GET', '/v1/audit', ['auditor']],
  ['GET', '/v1/audit/verify', ['auditor']],
  ['GET', '/v1/me', ROLES],
];

describe('HTTP access control', () => {
  let h: ApiHarness;
  before(async () => (h = await apiHarness()));
  after(() => h.close());

  for (const [method, url] of ROUTES) {
    it(`${method} ${url} without a key: 401 LIKENESS_UNAUTHENTICATED`, async () => {
      const res = await h.app.inject({ method, url });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'LIKENESS_UNAUTHENTICATED');
    });
  }

  for (const [method, url, allowed] of ROUTES) {
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      it(`${method} ${url} as ${role}: 403 LIKENESS_FORBIDDEN`, async () => {
        const res = await h.app.inject({ method, url, headers: h.as[role] });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().code, 'LIKENESS_FORBIDDEN');
      });
    }
  }

  const badKeys: Array<[string, () => string]> = [
    ['a non-bearer scheme', () => 'Basic dXNlcjpwYXNz'],
    ['a malformed key', () => 'Bearer not-a-key'],
    ['an unknown key', () => `Bearer lk_000000000000_${'A'.repeat(43)}`],
    ['a wrong secret', () => h.as.operator.authorization.slice(0, -4) + 'AAAA'],
  ];
  for (const [what, header] of badKeys) {
    // Counting and auditing of failures: test/http/auth-failures.test.ts.
    it(`refuses ${what} with 401`, async () => {
      const res = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: header() }, remoteAddress: `10.0.0.${badKeys.findIndex(([w]) => w === what) + 1}` });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'LIKENESS_UNAUTHENTICATED');
    });
  }

  it('refuses a revoked key at once', async () => {
    const made = await h.accounts.addUser({ name: 'temp', client: 'police', roles: ['operator'], keyDays: 1 }, 'test');
    const headers = { authorization: `Bearer ${made.key}` };
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode, 200);
    await h.accounts.revokeKey(made.keyPrefix, 'test');
    const revoked = await h.app.inject({ method: 'GET', url: '/v1/me', headers });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().code, 'LIKENESS_UNAUTHENTICATED');
  });

  it('GET /v1/me tells who the key belongs to, without the key', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/me', headers: h.as.investigator });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.user.name, 'ivan');
    assert.deepEqual(body.user.roles, ['investigator']);
    assert.equal(body.client.name, 'police');
    assert.ok(!JSON.stringify(body).includes(h.as.investigator.authorization.slice(7)));
    assert.ok(res.headers['x-request-id']);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/nothing', headers: h.as.operator });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'LIKENESS_NOT_FOUND');
  });

  it('serves the OpenAPI 3 document and the docs without a key', async () => {
    const doc = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(doc.statusCode, 200);
    const spec = doc.json();
    assert.match(spec.openapi, /^3\./);
    for (const path of ['/v1/search', '/v1/compare', '/v1/faces/{id}', '/v1/sources/{source}/images', '/v1/audit']) assert.ok(spec.paths[path], path);
    assert.ok(spec.paths['/v1/search'].post.requestBody.content['multipart/form-data']);
    const docs = await h.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
  });
});
