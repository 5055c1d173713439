import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';

const PAGE = 'https://news.example/story-1';
const OTHER_PAGE = 'https://news.example/story-2';

describe('GET /v1/faces: faces by source, page or image URL, page by page', () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness();
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    const file = (seed: number, page: string) => ({ path: `img-${seed}`, url: `https://cdn.example/${seed}.jpg`, pageUrl: page, read: async () => fakeImage(seed) });
    const ingest = await h.services.ingest();
    const summary = await ingest.ingest([file(1, PAGE), file(2, PAGE), file(3, PAGE), file(4, OTHER_PAGE)], 'press', { actor: { actor: 'test', client: null } });
    assert.equal(summary.faces, 4);
  });
  after(() => h.close());

  it('pages through the faces of one page with a cursor, each face once, with its URLs and no biometric data', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/faces?pageUrl=${encodeURIComponent(PAGE)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await h.app.inject({ method: 'GET', url, headers: h.as.operator });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { faces: Array<{ id: string; image: { pageUrl: string; url: string }; embedding?: unknown; source: string }>; nextCursor: string | null };
      for (const face of body.faces) {
        assert.equal(face.image.pageUrl, PAGE);
        assert.equal(face.source, 'press');
        assert.equal(face.embedding, undefined);
        seen.push(face.id);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 2);
    assert.equal(new Set(seen).size, 3);
  });

  it('filters by image URL and by source', async () => {
    const byImage = await h.app.inject({ method: 'GET', url: `/v1/faces?imageUrl=${encodeURIComponent('https://cdn.example/4.jpg')}`, headers: h.as.dpo });
    assert.equal(byImage.statusCode, 200);
    assert.deepEqual(byImage.json().faces.map((f: { image: { pageUrl: string } }) => f.image.pageUrl), [OTHER_PAGE]);
    const bySource = await h.app.inject({ method: 'GET', url: '/v1/faces?source=press', headers: h.as.dpo });
    assert.equal(bySource.json().faces.length, 4);
    const none = await h.app.inject({ method: 'GET', url: '/v1/faces?source=nowhere', headers: h.as.dpo });
    assert.deepEqual(none.json(), { faces: [], nextCursor: null });
  });

  it('lets operators and DPOs list faces, and no other role', async () => {
    for (const role of ['operator', 'dpo'] as const) {
      assert.equal((await h.app.inject({ method: 'GET', url: '/v1/faces', headers: h.as[role] })).statusCode, 200, role);
    }
    for (const role of ['investigator', 'supervisor', 'auditor', 'outsider'] as const) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/faces', headers: h.as[role] });
      assert.equal(res.statusCode, 403, role);
      assert.equal(res.json().code, 'LIKENESS_FORBIDDEN');
    }
    const anonymous = await h.app.inject({ method: 'GET', url: '/v1/faces' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('refuses a forged cursor, a bad limit and an empty URL', async () => {
    for (const query of ['cursor=abc', `cursor=${Buffer.from('k1; DROP').toString('base64url')}`, 'limit=0', 'limit=501', 'limit=x', 'pageUrl=']) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/faces?${query}`, headers: h.as.operator });
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'LIKENESS_BAD_INPUT', query);
    }
  });
});
