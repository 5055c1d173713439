import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeBytes, fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const SOURCE = { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest' };

async function withGallery(h: ApiHarness): Promise<void> {
  await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: SOURCE });
  const { payload, headers } = multipart([11, 12, 13].map((seed) => ({ name: 'images', filename: `${seed}.jpg`, data: fakeImage(seed) })));
  const res = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload });
  assert.equal(res.statusCode, 201, res.body);
}

const justified = (extra: Part[] = []): Part[] => [{ name: 'caseNumber', value: 'C-2026-001' }, { name: 'purpose', value: 'identify a suspect' }, ...extra];
const probe = (data: Buffer): Part => ({ name: 'image', filename: 'probe.jpg', data });

describe('HTTP search and compare', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({ policy: (p) => { p.searches.rateLimits.roles = {}; p.searches.rateLimits.clients = {}; p.searches.dailyQuota = { clients: {} }; } });
    await withGallery(h);
  });
  after(() => h.close());

  const search = (parts: Part[], who: 'investigator' | 'outsider' = 'investigator') => {
    const { payload, headers } = multipart(parts);
    return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as[who], ...headers }, payload });
  };

  it('finds the face, with its score, false-match rate, box and source; records the search before answering', async () => {
    const res = await search([probe(fakeImage(12)), ...justified()]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.candidates.length, 1);
    const [top] = body.candidates;
    assert.ok(Math.abs(top.score - 1) < 1e-5);
    assert.ok(top.falseMatchRate > 0 && top.falseMatchRate < 1e-3);
    assert.equal(top.source.name, 'press');
    assert.deepEqual(Object.keys(top.box).sort(), ['height', 'width', 'x', 'y']);
    assert.deepEqual(body.galleries, ['default']);
    const [entry] = await h.services.audit.list({ action: 'search', limit: 1 });
    assert.equal(entry!.target, body.searchId);
    assert.equal(entry!.details.caseNumber, 'C-2026-001');
    assert.match(String(entry!.details.probeSha256), /^[0-9a-f]{64}$/);
    const stored = await h.store.accounts.searches.listByClient(entry!.client!, { limit: 1 });
    assert.equal(stored[0]!.id, body.searchId);
    assert.deepEqual(stored[0]!.results.map((r) => r.faceId), [top.faceId]);
  });

  it('keeps only the probe hash: no byte run of the probe is in the store', async () => {
    const distinctive = fakeImage(12, 987654321);
    await search([probe(distinctive), ...justified()]);
    await h.store.checkpoint();
    const { readFileSync } = await import('node:fs');
    const db = readFileSync(`${h.dir}/likeness.db`);
    assert.ok(!db.includes(Buffer.from('987654321')));
  });

  it('answers "no candidate" for a face nobody in the gallery has', async () => {
    const res = await search([probe(fakeImage(99)), ...justified()]);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().candidates, []);
  });

  it('uses the largest face unless faceIndex says otherwise', async () => {
    const largest = (await search([probe(fakeImage(13, 11)), ...justified()])).json();
    assert.equal(largest.probe.faceIndex, 0);
    assert.equal(largest.probe.facesInImage, 2);
    const second = (await search([probe(fakeImage(13, 11)), ...justified([{ name: 'faceIndex', value: '1' }])])).json();
    assert.ok(Math.abs(second.candidates[0].score - 1) < 1e-5);
    assert.notEqual(second.candidates[0].faceId, largest.candidates[0].faceId);
  });

  const refusals: Array<[string, () => Part[], number, string]> = [
    ['no case number', () => [probe(fakeImage(12)), { name: 'purpose', value: 'p' }], 400, 'LIKENESS_SEARCH_UNJUSTIFIED'],
    ['no purpose', () => [probe(fakeImage(12)), { name: 'caseNumber', value: 'C-1' }], 400, 'LIKENESS_SEARCH_UNJUSTIFIED'],
    ['a blank case number', () => [probe(fakeImage(12)), { name: 'caseNumber', value: '  ' }, { name: 'purpose', value: 'p' }], 400, 'LIKENESS_SEARCH_UNJUSTIFIED'],
    ['no image', () => justified(), 400, 'LIKENESS_BAD_INPUT'],
    ['faces=all with two images', () => [probe(fakeImage(12)), probe(fakeImage(11)), ...justified([{ name: 'faces', value: 'all' }])], 400, 'LIKENESS_BAD_INPUT'],
    ['eleven images', () => [...Array.from({ length: 11 }, (_, i) => probe(fakeImage(i + 1))), ...justified()], 413, 'LIKENESS_TOO_MANY_FILES'],
    ['a non-image', () => [probe(Buffer.from('just text')), ...justified()], 415, 'LIKENESS_NOT_AN_IMAGE'],
    ['a corrupt image', () => [probe(fakeBytes('FAKEIMG ##')), ...justified()], 422, 'LIKENESS_CORRUPT_IMAGE'],
    ['an image without a face', () => [probe(fakeImage()), ...justified()], 422, 'LIKENESS_NO_FACE'],
    ['a face index past the faces', () => [probe(fakeImage(12)), ...justified([{ name: 'faceIndex', value: '3' }])], 422, 'LIKENESS_FACE_INDEX_OUT_OF_RANGE'],
    ['a malformed maxResults', () => [probe(fakeImage(12)), ...justified([{ name: 'maxResults', value: 'lots' }])], 400, 'LIKENESS_BAD_INPUT'],
    ['a threshold out of range', () => [probe(fakeImage(12)), ...justified([{ name: 'threshold', value: '3' }])], 400, 'LIKENESS_BAD_INPUT'],
    ['an image over the byte limit', () => [probe(Buffer.concat([fakeImage(12), Buffer.alloc(70 * 1024)])), ...justified()], 413, 'LIKENESS_IMAGE_TOO_LARGE'],
    ['an image over the pixel limit', () => [probe(fakeBytes('FAKEIMG HUGE')), ...justified()], 413, 'LIKENESS_IMAGE_TOO_LARGE'],
    ['an unknown gallery', () => [probe(fakeImage(12)), ...justified([{ name: 'galleries', value: 'nope' }])], 403, 'LIKENESS_POLICY_DENIED'],
  ];
  for (const [what, parts, status, code] of refusals) {
    it(`refuses ${what}: ${status} ${code}`, async () => {
      const res = await search(parts());
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().code, code);
    });
  }

  it('refuses a JSON body with 415', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/search', headers: h.as.investigator, payload: { caseNumber: 'C', purpose: 'p' } });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'LIKENESS_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a gallery the client is not granted with 403, and audits the refusal', async () => {
    await h.app.inject({ method: 'POST', url: '/v1/galleries', headers: h.as.operator, payload: { name: 'secret' } });
    const res = await search([probe(fakeImage(12)), ...justified([{ name: 'galleries', value: 'secret' }])]);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'LIKENESS_POLICY_DENIED');
    assert.equal(res.json().details.ruleId, 'gallery-not-granted');
    const [refused] = await h.services.audit.list({ action: 'search.refused', limit: 1 });
    assert.equal(refused!.details.ruleId, 'gallery-not-granted');
  });

  it('refuses a client with no granted gallery with 403', async () => {
    const res = await search([probe(fakeImage(12)), ...justified()], 'outsider');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'LIKENESS_POLICY_DENIED');
  });

  it('compares two images 1:1, with the false-match rate of the score', async () => {
    const unjustified = multipart([{ name: 'a', filename: 'a.jpg', data: fakeImage(5) }, { name: 'b', filename: 'b.jpg', data: fakeImage(5) }]);
    const refused = await h.app.inject({ method: 'POST', url: '/v1/compare', headers: { ...h.as.investigator, ...unjustified.headers }, payload: unjustified.payload });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().details.ruleId, 'case-number-required');
    const { payload, headers } = multipart(justified([
      { name: 'a', filename: 'a.jpg', data: fakeImage(5) }, { name: 'b', filename: 'b.jpg', data: fakeImage(5) },
    ]));
    const res = await h.app.inject({ method: 'POST', url: '/v1/compare', headers: { ...h.as.investigator, ...headers }, payload });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().match, true);
    assert.ok(res.json().falseMatchRate < 1e-3);
    const bad = multipart(justified([{ name: 'a', filename: 'a.jpg', data: fakeImage(5) }, { name: 'b', filename: 'b.jpg', data: fakeImage() }]));
    const noFace = await h.app.inject({ method: 'POST', url: '/v1/compare', headers: { ...h.as.investigator, ...bad.headers }, payload: bad.payload });
    assert.equal(noFace.statusCode, 422);
    assert.equal(noFace.json().code, 'LIKENESS_NO_FACE');
  });
});

describe('HTTP search rate limits and quotas', () => {
  it('answers 429 with Retry-After past the per-user rate limit, and past the daily quota', async () => {
    let now = new Date('2026-03-02T10:00:00Z');
    const h = await apiHarness({
      clock: { now: () => now },
      policy: (p) => { p.searches.rateLimits.roles = { investigator: { perMinute: 2 } }; p.searches.dailyQuota = { perUser: 3, clients: {} }; },
    });
    await withGallery(h);
    const run = () => {
      const { payload, headers } = multipart([probe(fakeImage(12)), ...justified()]);
      return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload });
    };
    assert.equal((await run()).statusCode, 200);
    now = new Date(now.getTime() + 10_000);
    assert.equal((await run()).statusCode, 200);
    now = new Date(now.getTime() + 10_000);
    const limited = await run();
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'LIKENESS_RATE_LIMITED');
    assert.equal(limited.headers['retry-after'], '40');
    now = new Date(now.getTime() + 41_000);
    assert.equal((await run()).statusCode, 200);
    now = new Date(now.getTime() + 120_000);
    const quota = await run();
    assert.equal(quota.statusCode, 429);
    assert.equal(quota.json().details.ruleId, 'user-daily-quota');
    assert.equal(quota.headers['retry-after'], String(Math.ceil((Date.parse('2026-03-03T00:00:00Z') - now.getTime()) / 1000)));
    await h.close();
  });
});
