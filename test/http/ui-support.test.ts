import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart } from '../helpers/multipart.ts';

type RoleName = 'operator' | 'investigator' | 'supervisor' | 'auditor' | 'dpo';
const ROLES: RoleName[] = ['operator', 'investigator', 'supervisor', 'auditor', 'dpo'];

describe('HTTP endpoints behind the web UI: detect, face views, transparency', () => {
  let h: ApiHarness;
  let faceId: string;
  before(async () => {
    h = await apiHarness();
    await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'consent', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'explicit-consent' },
    });
    const { payload, headers } = multipart([{ name: 'images', filename: 'a.jpg', data: fakeImage(21) }]);
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload });
    faceId = res.json().images[0].faces[0].id;
  });
  after(() => h.close());

  const detect = (headers: Record<string, string>, data = fakeImage(5, 6)) => {
    const body = multipart([{ name: 'image', filename: 'p.jpg', data }]);
    return h.app.inject({ method: 'POST', url: '/v1/detect', headers: { ...headers, ...body.headers }, payload: body.payload });
  };

  it('detects the faces of an image largest first, stores nothing and audits the detection', async () => {
    const before = await h.services.transparency.summary();
    const res = await detect(h.as.investigator);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual([body.width, body.height], [640, 480]);
    assert.deepEqual(body.faces.map((f: { faceIndex: number }) => f.faceIndex), [0, 1]);
    assert.ok(body.faces[0].box.width > body.faces[1].box.width);
    assert.equal((await h.services.transparency.summary()).faces, before.faces);
    const [entry] = await h.services.audit.list({ action: 'detect', limit: 1 });
    assert.equal(entry!.details.faces, 2);
    assert.match(String(entry!.details.probeSha256), /^[0-9a-f]{64}$/);
  });

  it('answers an image without a face with no faces, and a non-image with 415', async () => {
    assert.deepEqual((await detect(h.as.investigator, fakeImage())).json().faces, []);
    const bad = await detect(h.as.investigator, Buffer.from('not an image'));
    assert.equal(bad.statusCode, 415);
  });

  for (const [method, url, allowed] of [
    ['POST', '/v1/detect', ['investigator']],
    ['GET', '/v1/faces/f1/provenance', ['operator', 'dpo']],
    ['GET', '/v1/faces/f1/crop', ['investigator', 'operator', 'dpo']],
    ['GET', '/v1/galleries/face-counts', ['operator']],
  ] as const) {
    it(`${method} ${url}: 401 without a key, 403 for ${ROLES.filter((r) => !(allowed as readonly string[]).includes(r)).join(', ')}`, async () => {
      assert.equal((await h.app.inject({ method, url })).statusCode, 401);
      for (const role of ROLES.filter((r) => !(allowed as readonly string[]).includes(r))) {
        const res = await h.app.inject({ method, url, headers: h.as[role] });
        assert.equal(res.statusCode, 403, `${role}: ${res.body}`);
        assert.equal(res.json().code, 'LIKENESS_FORBIDDEN');
      }
    });
  }

  it('shows a face with its image and source to an operator, and says no crop exists for an uploaded image', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/provenance`, headers: h.as.operator });
    assert.equal(res.statusCode, 200);
    const view = res.json();
    assert.equal(view.source.name, 'press');
    assert.equal(view.image.path, 'upload/a.jpg');
    assert.equal(view.cropAvailable, false);
    assert.equal(view.face.embedding, undefined);
    const crop = await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/crop`, headers: h.as.investigator });
    assert.equal(crop.statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/faces/nope/provenance', headers: h.as.operator })).statusCode, 404);
  });

  it('refuses a crop to an investigator of a client not granted the face\'s gallery', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/crop`, headers: h.as.outsider });
    assert.equal(res.statusCode, 403);
  });

  it('counts active faces per gallery for operators', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/galleries/face-counts', headers: h.as.operator });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json()[0].faces, 1);
  });

  it('publishes source categories, legal bases and retention without a key, and no source names or folders', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/transparency' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.categories, [{ kind: 'upload', legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30, sources: 1 }]);
    assert.equal(body.retentionCapDays, 1095);
    assert.doesNotMatch(res.body, /press|"api"/);
  });
});
