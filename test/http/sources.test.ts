import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PolicyCollectionGate } from '../../src/services/collection/policy-collection-gate.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const SOURCE = {
  name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', specialCategoryCondition: 'substantial-public-interest',
  jurisdictions: ['FR'], retentionDays: 30,
};

describe('HTTP: source lifecycle and the collection rules on uploads', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({
      policy: (p) => {
        p.collection.excludeJurisdictions = ['DE'];
        p.collection.minFaceQuality.minSize = 100;
      },
      gates: (policy) => [new PolicyCollectionGate(policy, 'policy-sha', { modelId: 'age-test', ageOf: async () => 40 })],
    });
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: SOURCE });
    assert.equal(res.statusCode, 201, res.body);
    // A source declared before the policy excluded its jurisdiction: the policy refuses declaring it now.
    const press = (await h.store.sources.findByName(SOURCE.name))!;
    await h.store.sources.create({ ...press, id: 'berlin-id', name: 'berlin', jurisdictions: ['DE'] });
  });
  after(() => h.close());

  const upload = (source: string, ...images: Buffer[]) => {
    const { payload, headers } = multipart(images.map((data, i): Part => ({ name: 'images', filename: `${i}.png`, data })));
    return h.app.inject({ method: 'POST', url: `/v1/sources/${source}/images`, headers: { ...h.as.operator, ...headers }, payload });
  };
  const search = (seed: number) => {
    const { payload, headers } = multipart([
      { name: 'image', filename: 'p.png', data: fakeImage(seed) }, { name: 'caseNumber', value: 'C-1' }, { name: 'purpose', value: 'test' },
    ]);
    return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload });
  };

  it('drops a face below the minimum quality, keeps the others, and records the decision on the image', async () => {
    const res = await upload('press', fakeImage(1, 2));
    assert.equal(res.statusCode, 201, res.body);
    const [image] = res.json().images;
    assert.equal(image.status, 'ingested');
    assert.equal(image.faces.length, 1);
    assert.deepEqual(image.refusals.map((r: { face: number; ruleId: string }) => [r.face, r.ruleId]), [[1, 'face-quality-too-low']]);
    const stored = await h.store.images.findBySha256((await h.store.sources.findByName('press'))!.id, image.sha256);
    assert.deepEqual(JSON.parse(stored!.policyDecision!), { outcome: 'allow', policySha256: 'policy-sha', ageModel: 'age-test' });
    const audited = await h.services.audit.list({ action: 'ingest.refused', limit: 10 });
    assert.equal(audited[0]!.details.ruleId, 'face-quality-too-low');
    assert.deepEqual(Object.keys(audited[0]!.details).sort(), ['face', 'path', 'ruleId', 'sha256', 'source']);
  });

  it('refuses every image of a source in an excluded jurisdiction and stores none of it', async () => {
    const res = await upload('berlin', fakeImage(7));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().images[0].status, 'refused');
    assert.equal(res.json().images[0].refusals[0].ruleId, 'excluded-jurisdiction');
    assert.equal(await h.store.images.findBySha256((await h.store.sources.findByName('berlin'))!.id, res.json().images[0].sha256), undefined);
  });

  it('amends a source when the policy allows the new declaration, audited with what changed', async () => {
    const res = await h.app.inject({ method: 'PATCH', url: '/v1/sources/press', headers: h.as.operator, payload: { retentionDays: 60 } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().retentionDays, 60);
    const [entry] = await h.services.audit.list({ action: 'source.update', limit: 1 });
    assert.deepEqual(entry!.details.changed, { retentionDays: { from: 30, to: 60 } });
    const refused = await h.app.inject({ method: 'PATCH', url: '/v1/sources/press', headers: h.as.operator, payload: { jurisdictions: ['DE'] } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().details.ruleId, 'excluded-jurisdiction');
    const investigator = await h.app.inject({ method: 'PATCH', url: '/v1/sources/press', headers: h.as.investigator, payload: { retentionDays: 5 } });
    assert.equal(investigator.statusCode, 403);
  });

  it('pauses a source (no uploads), resumes it, and retires it erasing its faces from search at once', async () => {
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/sources/press/pause', headers: h.as.operator })).json().status, 'paused');
    const paused = await upload('press', fakeImage(3));
    assert.equal(paused.statusCode, 409);
    assert.equal(paused.json().code, 'LIKENESS_SOURCE_INACTIVE');
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/sources/press/resume', headers: h.as.operator })).json().status, 'active');
    assert.equal((await upload('press', fakeImage(3))).statusCode, 201);
    assert.equal((await search(3)).json().candidates.length, 1);

    const retired = await h.app.inject({ method: 'POST', url: '/v1/sources/press/retire?erase=true', headers: h.as.operator });
    assert.equal(retired.statusCode, 200, retired.body);
    assert.equal(retired.json().source.status, 'retired');
    assert.equal(retired.json().erased, 2);
    assert.equal((await search(3)).json().candidates.length, 0);
    assert.equal((await search(1)).json().candidates.length, 0);
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/sources/press/resume', headers: h.as.operator })).statusCode, 409);
    const [entry] = await h.services.audit.list({ action: 'source.retire', limit: 1 });
    assert.deepEqual(entry!.details, { name: 'press', erase: true, erased: 2 });
  });
});
