import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeBytes, fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const SOURCE = {
  name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest',
};

describe('HTTP catalogue and uploads', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({ maxImageBytes: 1024, maxFiles: 3 });
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: SOURCE });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(() => h.close());

  const upload = (parts: Part[], source = 'press') => {
    const { payload, headers } = multipart(parts);
    return h.app.inject({ method: 'POST', url: `/v1/sources/${source}/images`, headers: { ...h.as.operator, ...headers }, payload });
  };
  const image = (filename: string, data: Buffer, contentType?: string): Part => ({ name: 'images', filename, data, contentType });
  const faceCount = () => h.store.faces.countActive();

  it('creates and lists galleries and sources; a second gallery of the same name is a conflict', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/v1/galleries', headers: h.as.operator, payload: { name: 'wanted' } });
    assert.equal(created.statusCode, 201);
    const again = await h.app.inject({ method: 'POST', url: '/v1/galleries', headers: h.as.operator, payload: { name: 'wanted' } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'LIKENESS_CONFLICT');
    const galleries = (await h.app.inject({ method: 'GET', url: '/v1/galleries', headers: h.as.operator })).json();
    assert.deepEqual(galleries.map((g: { name: string }) => g.name), ['default', 'wanted']);
    const sources = (await h.app.inject({ method: 'GET', url: '/v1/sources', headers: h.as.operator })).json();
    assert.deepEqual(sources.map((s: { name: string }) => s.name), ['press']);
  });

  it('refuses an invalid source declaration with 400 and a stable code', async () => {
    const bad = await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: { ...SOURCE, name: 'x', legalBasis: 'whim' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'LIKENESS_SOURCE_INVALID');
    const missing = await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: { name: 'y' } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, 'LIKENESS_BAD_INPUT');
  });

  it('uploads several images, returns the faces indexed, and skips bytes already there', async () => {
    const res = await upload([image('a.jpg', fakeImage(1, 2)), image('b.png', fakeImage(3), 'image/png')]);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.facesIndexed, 3);
    assert.deepEqual(body.images.map((i: { status: string; faces: unknown[] }) => [i.status, i.faces.length]), [['ingested', 2], ['ingested', 1]]);
    assert.match(body.images[0].faces[0].id, /^[0-9a-f-]{36}$/);
    const again = await upload([image('a-copy.jpg', fakeImage(1, 2))]);
    assert.equal(again.json().images[0].status, 'skipped');
    assert.equal(again.json().facesIndexed, 0);
    const audited = await h.services.audit.list({ action: 'upload', limit: 10 });
    assert.equal(audited.length, 2);
  });

  it('stores an image without a face as such (0 faces), it is no error for an upload', async () => {
    const res = await upload([image('crowdless.jpg', fakeImage())]);
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json().images[0].faces, []);
  });

  const refusals: Array<[string, () => Part[], number, string]> = [
    ['a file that is not an image', () => [image('x.jpg', Buffer.from('%PDF-1.4 nothing to see'))], 415, 'LIKENESS_NOT_AN_IMAGE'],
    ['a corrupt image', () => [image('x.jpg', fakeBytes('FAKEIMG 1,\u0000garbage'))], 422, 'LIKENESS_CORRUPT_IMAGE'],
    ['an image over the byte limit', () => [image('big.jpg', Buffer.concat([fakeImage(9), Buffer.alloc(2048, 32)]))], 413, 'LIKENESS_IMAGE_TOO_LARGE'],
    ['an image over the pixel limit', () => [image('huge.jpg', fakeBytes('FAKEIMG HUGE'))], 413, 'LIKENESS_IMAGE_TOO_LARGE'],
    ['a file declared as another type', () => [image('notes.txt', fakeImage(9), 'text/plain')], 415, 'LIKENESS_NOT_AN_IMAGE'],
    ['more files than allowed', () => [1, 2, 3, 4].map((n) => image(`${n}.jpg`, fakeImage(100 + n))), 413, 'LIKENESS_PAYLOAD_TOO_LARGE'],
    ['no file at all', () => [], 400, 'LIKENESS_BAD_INPUT'],
    ['a field the form does not take', () => [{ name: 'note', value: 'hello' }], 400, 'LIKENESS_UNEXPECTED_FIELD'],
    ['one bad file among good ones', () => [image('ok.jpg', fakeImage(50)), image('bad.jpg', Buffer.from('GIF89a?'))], 415, 'LIKENESS_NOT_AN_IMAGE'],
  ];
  for (const [what, parts, status, code] of refusals) {
    it(`refuses ${what}: ${status} ${code}, nothing indexed`, async () => {
      const before = await faceCount();
      const res = await upload(parts());
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().code, code);
      assert.equal(await faceCount(), before);
    });
  }

  it('refuses a body that is not multipart with 415', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: h.as.operator, payload: { images: 'x' } });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'LIKENESS_UNSUPPORTED_MEDIA_TYPE');
    const raw = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, 'content-type': 'image/jpeg' }, payload: fakeImage(1) });
    assert.equal(raw.statusCode, 415);
    assert.equal(raw.json().code, 'LIKENESS_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a truncated multipart body with 400 and indexes nothing', async () => {
    const before = await faceCount();
    const { payload, headers } = multipart([image('t.jpg', fakeImage(77))]);
    const res = await h.app.inject({
      method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload: payload.subarray(0, payload.length - 30),
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
    assert.equal(await faceCount(), before);
  });

  it('refuses an upload into an undeclared source', async () => {
    const res = await upload([image('a.jpg', fakeImage(5))], 'nowhere');
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'LIKENESS_SOURCE_UNDECLARED');
  });
});
