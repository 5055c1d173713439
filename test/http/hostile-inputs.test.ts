import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const SOURCE = { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest' };
const TEN_MB = 10 * 1024 * 1024;
const probe: Part = { name: 'image', filename: 'probe.jpg', data: fakeImage(12) };
const justified: Part[] = [{ name: 'caseNumber', value: 'C-2026-001' }, { name: 'purpose', value: 'identify a suspect' }];

// Findings of an adversarial test, each reproduced: what was accepted or leaked before is refused now.
describe('hostile inputs to the search', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({ policy: (p) => { p.searches.rateLimits.roles = {}; p.searches.rateLimits.clients = {}; p.searches.dailyQuota = { clients: {} }; } });
    await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: SOURCE });
    const { payload, headers } = multipart([11, 12].map((seed) => ({ name: 'images', filename: `${seed}.jpg`, data: fakeImage(seed) })));
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload })).statusCode, 201);
    // A gallery that exists but is granted to nobody.
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/galleries', headers: h.as.operator, payload: { name: 'witness-protection' } })).statusCode, 201);
  });
  after(() => h.close());

  const search = (parts: Part[], options: { stream?: boolean } = {}) => {
    const { payload, headers } = multipart(parts);
    // Streamed, the body declares no length, so only the form reader can stop it.
    return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload: options.stream ? Readable.from([payload]) : payload });
  };
  const recorded = async () => (await h.app.inject({ method: 'GET', url: '/v1/searches', headers: h.as.supervisor })).json() as Array<{ caseNumber: string; purpose: string }>;

  it('refuses a case number one character over its limit instead of cutting it', async () => {
    const res = await search([probe, { name: 'caseNumber', value: 'C'.repeat(101) }, { name: 'purpose', value: 'p' }]);
    assert.equal(res.statusCode, 413, res.body);
    assert.deepEqual([res.json().code, res.json().details], ['LIKENESS_FIELD_TOO_LONG', { field: 'caseNumber', maxLength: 100 }]);
  });

  it('refuses a 10 MB purpose, streamed or declared, and records nothing of it', async () => {
    const before = await recorded();
    const parts = [probe, { name: 'caseNumber', value: 'C-1' }, { name: 'purpose', value: 'x'.repeat(TEN_MB) }];
    const streamed = await search(parts, { stream: true });
    assert.equal(streamed.statusCode, 413, streamed.body);
    assert.equal(streamed.json().code, 'LIKENESS_FIELD_TOO_LONG');
    const declared = await search(parts);
    assert.equal(declared.statusCode, 413, declared.body);
    assert.equal(declared.json().code, 'LIKENESS_PAYLOAD_TOO_LARGE');
    const after = await recorded();
    assert.equal(after.length, before.length);
    assert.ok(after.every((s) => s.purpose.length < 1000));
  });

  it('refuses a JSON field it does not know, naming it, instead of dropping it and using the default', async () => {
    const typo = await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: { ...SOURCE, name: 'wire', specialCategoryConditon: 'explicit-consent' } });
    assert.equal(typo.statusCode, 400, typo.body);
    assert.equal(typo.json().code, 'LIKENESS_BAD_INPUT');
    assert.equal(typo.json().message, 'body must NOT have additional properties (not a field: "specialCategoryConditon")');
    const huge = await h.app.inject({ method: 'POST', url: '/v1/galleries', headers: h.as.operator, payload: { name: 'g', ['k'.repeat(60_000)]: 1 } });
    assert.equal(huge.statusCode, 400);
    assert.ok(huge.body.length < 1_000, `the unknown name is cut in the answer: ${huge.body.length} bytes`);
    const listed = await h.app.inject({ method: 'GET', url: '/v1/sources', headers: h.as.operator });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.ok(!JSON.stringify(listed.json()).includes('"wire"'), 'the source was not declared');
  });

  it('refuses a 10 MB field name', async () => {
    const res = await search([probe, ...justified, { name: 'n'.repeat(TEN_MB), value: 'v' }], { stream: true });
    assert.ok(res.statusCode === 400 || res.statusCode === 413, `${res.statusCode} ${res.body}`);
    assert.match(res.json().code, /^LIKENESS_(UNEXPECTED_FIELD|BAD_INPUT|PAYLOAD_TOO_LARGE)$/);
  });

  for (const threshold of ['-1', '0', '0.39']) {
    it(`refuses threshold=${threshold}, below the calibrated 0.4, for searches and comparisons`, async () => {
      const res = await search([probe, ...justified, { name: 'threshold', value: threshold }]);
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual([res.json().code, res.json().details], ['LIKENESS_THRESHOLD_OUT_OF_RANGE', { minimum: 0.4, maximum: 1 }]);
      const { payload, headers } = multipart([{ name: 'a', filename: 'a.jpg', data: fakeImage(12) }, { name: 'b', filename: 'b.jpg', data: fakeImage(11) }, ...justified, { name: 'threshold', value: threshold }]);
      const compared = await h.app.inject({ method: 'POST', url: '/v1/compare', headers: { ...h.as.investigator, ...headers }, payload });
      assert.equal(compared.statusCode, 400, compared.body);
      assert.equal(compared.json().code, 'LIKENESS_THRESHOLD_OUT_OF_RANGE');
    });
  }

  it('takes a stricter threshold', async () => {
    const res = await search([probe, ...justified, { name: 'threshold', value: '0.9' }]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().threshold, 0.9);
  });

  it('answers a gallery that does not exist exactly like one that exists but is not granted', async () => {
    const ask = async (name: string) => {
      const res = await search([probe, ...justified, { name: 'galleries', value: name }]);
      return { status: res.statusCode, body: res.body.replaceAll(name, '<name>') };
    };
    const missing = await ask('no-such-gallery');
    const hidden = await ask('witness-protection');
    assert.equal(missing.status, 403);
    assert.deepEqual(missing, hidden);
  });
});
