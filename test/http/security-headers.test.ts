import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';

// Every answer, whatever its route or status, tells a browser not to sniff types, not to let
// any page frame it, and what it may load.
describe('security headers on every response', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness();
  });
  after(() => h.close());

  const requests: Array<[string, () => { method: 'GET' | 'POST'; url: string; headers?: Record<string, string> }, number]> = [
    ['the public transparency summary', () => ({ method: 'GET', url: '/v1/transparency' }), 200],
    ['the API docs page', () => ({ method: 'GET', url: '/docs/' }), 200],
    ['the OpenAPI document', () => ({ method: 'GET', url: '/openapi.json' }), 200],
    ['an API answer', () => ({ method: 'GET', url: '/v1/me', headers: h.as.investigator }), 200],
    ['a refusal without a key', () => ({ method: 'GET', url: '/v1/me' }), 401],
    ['a refusal by role', () => ({ method: 'GET', url: '/v1/audit', headers: h.as.investigator }), 403],
    ['an unknown route', () => ({ method: 'GET', url: '/nowhere' }), 404],
  ];
  for (const [what, build, status] of requests) {
    it(`on ${what}`, async () => {
      const res = await h.app.inject(build());
      assert.equal(res.statusCode, status, res.body);
      const csp = String(res.headers['content-security-policy'] ?? '');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /default-src '(self|none)'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    });
  }
});
