import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES } from '../../src/domain/accounts.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

// Every route of the OpenAPI document that refuses a request without a key, with a concrete URL.
async function protectedRoutes(h: ApiHarness): Promise<Array<{ method: string; url: string }>> {
  await h.app.ready();
  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods)
    .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
    .map((m) => ({ method: m.toUpperCase(), url: path.replace(/\{[^}]+\}/g, 'x') })));
}

describe('HTTP: a client the policy refuses is refused on every protected route, with the rule id', () => {
  let h: ApiHarness;
  let banned: { authorization: string };
  let denied: { authorization: string };
  let routes: Array<{ method: string; url: string }>;

  before(async () => {
    h = await apiHarness({
      clock: { now: () => NOW },
      policy: (p) => {
        p.clients.deniedTypes = ['private'];
        p.clients.bans = [{ id: 'no-illinois-clients', jurisdiction: 'US-IL', until: new Date('2027-05-09T00:00:00Z') }];
      },
    });
    const key = async (client: string, type: string, jurisdiction: string) => {
      await h.accounts.addClient({ name: client, type, jurisdiction }, 'test');
      return { authorization: `Bearer ${(await h.accounts.addUser({ name: `${client}-user`, client, roles: [...ROLES] }, 'test')).key}` };
    };
    banned = await key('chicago-pd', 'law-enforcement', 'US-IL');
    denied = await key('acme', 'private', 'FR');
    routes = [];
    for (const route of await protectedRoutes(h)) {
      const res = await h.app.inject({ method: route.method as 'GET', url: `/v1${route.url.replace(/^\/v1/, '')}` });
      if (res.statusCode === 401) routes.push(route);
    }
  });
  after(() => h.close());

  it('finds the protected routes of every group', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /v1/galleries', 'POST /v1/sources', 'PATCH /v1/sources/x', 'POST /v1/sources/x/images', 'POST /v1/search',
      'GET /v1/faces/x', 'DELETE /v1/faces/x', 'GET /v1/audit', 'GET /v1/searches']) {
      assert.ok(urls.includes(expected), `${expected} among ${urls.join(', ')}`);
    }
  });

  for (const [who, rule] of [['banned', 'no-illinois-clients'], ['denied', 'client-type-denied']] as const) {
    it(`answers 403 ${rule} to a ${who} client on each of them`, async () => {
      for (const route of routes) {
        const res = await h.app.inject({ method: route.method as 'GET', url: route.url, headers: who === 'banned' ? banned : denied });
        assert.equal(res.statusCode, 403, `${route.method} ${route.url}: ${res.body}`);
        assert.equal(res.json().code, 'LIKENESS_POLICY_DENIED');
        assert.equal(res.json().details.ruleId, rule, `${route.method} ${route.url}`);
      }
    });
  }

  it('audits the refusal with its rule, and still serves an allowed client', async () => {
    const refused = await h.services.audit.list({ action: 'access.refused', limit: 500 });
    assert.ok(refused.some((e) => e.details.ruleId === 'no-illinois-clients'));
    assert.ok(refused.some((e) => e.details.ruleId === 'client-type-denied'));
    const ok = await h.app.inject({ method: 'GET', url: '/v1/galleries', headers: h.as.operator });
    assert.equal(ok.statusCode, 200);
  });
});
