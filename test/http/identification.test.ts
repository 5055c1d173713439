import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { distinctFakeImage, fakeEmbedding, fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const source = (name: string) => ({ name, kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest' });
const justified = (extra: Part[] = []): Part[] => [{ name: 'caseNumber', value: 'C-2026-017' }, { name: 'purpose', value: 'identify a suspect' }, ...extra];
const photo = (data: Buffer, filename = 'probe.jpg'): Part => ({ name: 'image', filename, data });

async function upload(h: ApiHarness, sourceName: string, images: Array<[string, Buffer]>): Promise<Array<{ faces: Array<{ id: string }> }>> {
  const { payload, headers } = multipart(images.map(([filename, data]) => ({ name: 'images', filename, data })));
  const res = await h.app.inject({ method: 'POST', url: `/v1/sources/${sourceName}/images`, headers: { ...h.as.operator, ...headers }, payload });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().images;
}

function searchWith(h: ApiHarness) {
  return (parts: Part[], who: 'investigator' | 'outsider' = 'investigator') => {
    const { payload, headers } = multipart(parts);
    return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as[who], ...headers }, payload });
  };
}

describe('identification at gallery scale', () => {
  let h: ApiHarness;
  let search: ReturnType<typeof searchWith>;
  before(async () => {
    h = await apiHarness({ maxFiles: 12, policy: (p) => { p.searches.rateLimits.roles = {}; p.searches.rateLimits.clients = {}; p.searches.dailyQuota = { clients: {} }; } });
    search = searchWith(h);
    await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: source('press') });
    await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: source('reposts') });
    // Seed 12 is one person in two different photos (alone, and beside seed 50).
    await upload(h, 'press', [['11.jpg', fakeImage(11)], ['12.jpg', await distinctFakeImage(1, 12)], ['13.jpg', fakeImage(13)],
      ['12-and-50.jpg', await distinctFakeImage(2, 12, 50)]]);
  });
  after(() => h.close());

  it('states the faces searched, and each candidate\'s expected false matches as faces searched x rate', async () => {
    const res = await search([photo(fakeImage(12)), ...justified()]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.searchedFaces, 5);
    assert.equal(typeof body.extrapolated, 'boolean');
    assert.equal(body.candidates.length, 2);
    for (const c of body.candidates) {
      assert.equal(c.expectedFalseMatches, body.searchedFaces * c.falseMatchRate);
      assert.equal(typeof c.extrapolated, 'boolean');
    }
  });

  it('fuses several photos of one person into one probe, and records every photo', async () => {
    // Half of the fused template is a stranger's: the person still comes first.
    const res = await search([photo(fakeImage(13), 'a.jpg'), photo(fakeImage(99), 'b.jpg'), ...justified()]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.fusedFrom.length, 2);
    assert.equal(body.candidates.length, 1);
    // The normalised mean of two unit vectors scores sqrt((1 + cos) / 2) against either.
    const [a, b] = [fakeEmbedding(13), fakeEmbedding(99)];
    const cos = a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    assert.ok(Math.abs(body.candidates[0].score - Math.sqrt((1 + cos) / 2)) < 1e-5, `fused score ${body.candidates[0].score}`);
    const [entry] = await h.services.audit.list({ action: 'search', limit: 1 });
    assert.equal(entry!.target, body.searchId);
    assert.equal(entry!.details.photos, 2);
    assert.match(String(entry!.details.probeSha256), /^[0-9a-f]{64},[0-9a-f]{64}$/);
  });

  it('pivots from a stored face: its other photos, never itself, audited with the face id', async () => {
    const first = (await search([photo(fakeImage(12)), ...justified()])).json();
    const from = first.candidates[0].faceId;
    const res = await search([{ name: 'faceId', value: from }, ...justified()]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.probe.faceId, from);
    assert.deepEqual(body.candidates.map((c: { faceId: string }) => c.faceId), first.candidates.slice(1).map((c: { faceId: string }) => c.faceId));
    const [entry] = await h.services.audit.list({ action: 'search', limit: 1 });
    assert.equal(entry!.details.faceId, from);
  });

  it('refuses a pivot without a case, from an unknown face, and for a client without the gallery', async () => {
    const from = (await search([photo(fakeImage(11)), ...justified()])).json().candidates[0].faceId;
    const unjustified = await search([{ name: 'faceId', value: from }, { name: 'purpose', value: 'p' }]);
    assert.equal(unjustified.statusCode, 400);
    assert.equal(unjustified.json().code, 'LIKENESS_SEARCH_UNJUSTIFIED');
    const [refused] = await h.services.audit.list({ action: 'search.refused', limit: 1 });
    assert.equal(refused!.details.faceId, from);
    const unknown = await search([{ name: 'faceId', value: 'no-such-face' }, ...justified()]);
    assert.equal(unknown.statusCode, 404);
    const outside = await search([{ name: 'faceId', value: from }, ...justified()], 'outsider');
    assert.equal(outside.statusCode, 403);
    const mixed = await search([{ name: 'faceId', value: from }, photo(fakeImage(11)), ...justified()]);
    assert.equal(mixed.statusCode, 400);
  });

  it('searches every face of a group photo, each audited', async () => {
    const before = (await h.services.audit.list({ action: 'search', limit: 100 })).length;
    const res = await search([photo(fakeImage(11, 13, 77)), ...justified([{ name: 'faces', value: 'all' }])]);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.probes.length, 3);
    assert.deepEqual(body.probes.map((p: { face: { faceIndex: number } }) => p.face.faceIndex), [0, 1, 2]);
    assert.deepEqual(body.probes.map((p: { candidates: unknown[] }) => p.candidates.length), [1, 1, 0]);
    const entries = await h.services.audit.list({ action: 'search', limit: 100 });
    assert.equal(entries.length - before, 3);
    assert.deepEqual(new Set(body.probes.map((p: { searchId: string }) => p.searchId)), new Set(entries.slice(0, 3).map((e) => e.target)));
  });

  it('collapses copies of one photo into one candidate with alsoAt', async () => {
    const repost = fakeImage(40);
    await upload(h, 'press', [['40.jpg', repost]]);
    await upload(h, 'reposts', [['40-again.jpg', repost]]);
    const body = (await search([photo(fakeImage(40)), ...justified()])).json();
    assert.equal(body.candidates.length, 1);
    assert.equal(body.candidates[0].alsoAt.length, 1);
    assert.deepEqual(new Set([body.candidates[0].source.name, body.candidates[0].alsoAt[0].source.name]), new Set(['press', 'reposts']));
    const [entry] = await h.services.audit.list({ action: 'search', limit: 1 });
    assert.equal((entry!.details.results as unknown[]).length, 2);
  });
});

describe('the default threshold as the gallery grows', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({ maxFiles: 12, policy: (p) => { p.searches.rateLimits.roles = {}; p.searches.rateLimits.clients = {}; p.searches.dailyQuota = { clients: {} }; p.searches.maxExpectedFalseMatches = 1e-5; } });
    await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: source('press') });
  });
  after(() => h.close());

  it('rises so that the strangers expected over the faces searched stay within the policy', async () => {
    const search = searchWith(h);
    await upload(h, 'press', [1, 2, 3].map((s) => [`${s}.jpg`, fakeImage(s)]));
    const small = (await search([photo(fakeImage(1)), ...justified()])).json();
    await upload(h, 'press', [4, 5, 6, 7, 8, 9].map((s) => [`${s}.jpg`, fakeImage(s)]));
    const large = (await search([photo(fakeImage(1)), ...justified()])).json();
    assert.equal(small.searchedFaces, 3);
    assert.equal(large.searchedFaces, 9);
    // The harness's configured floor is 0.4; at 1e-5 strangers per search both lie above it.
    assert.ok(small.threshold > 0.4, `threshold ${small.threshold}`);
    assert.ok(large.threshold > small.threshold, `${large.threshold} after ${small.threshold}`);
    assert.equal(large.extrapolated, true);
    const [top] = large.candidates;
    assert.ok(top.expectedFalseMatches <= 1e-5);
  });

  it('leaves an explicit threshold at or above the calibrated floor alone', async () => {
    const body = (await searchWith(h)([photo(fakeImage(1)), ...justified([{ name: 'threshold', value: '0.45' }])])).json();
    assert.equal(body.threshold, 0.45);
  });
});
