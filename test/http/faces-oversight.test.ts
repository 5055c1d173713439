import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart } from '../helpers/multipart.ts';

describe('HTTP faces, searches of my client, audit', () => {
  let h: ApiHarness;
  let faceId: string;
  before(async () => {
    h = await apiHarness();
    await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    const { payload, headers } = multipart([{ name: 'images', filename: 'a.jpg', data: fakeImage(21) }]);
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload });
    faceId = res.json().images[0].faces[0].id;
  });
  after(() => h.close());

  const search = () => {
    const { payload, headers } = multipart([
      { name: 'image', filename: 'p.jpg', data: fakeImage(21) }, { name: 'caseNumber', value: 'K-9' }, { name: 'purpose', value: 'missing person' },
    ]);
    return h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload });
  };

  it('shows a face to an operator', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}`, headers: h.as.operator });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().id, faceId);
    assert.equal(res.json().embedding, undefined);
    const missing = await h.app.inject({ method: 'GET', url: '/v1/faces/nope', headers: h.as.operator });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'LIKENESS_NOT_FOUND');
  });

  it('lists the searches of the supervisor\'s own client, newest first', async () => {
    assert.equal((await search()).statusCode, 200);
    const res = await h.app.inject({ method: 'GET', url: '/v1/searches?limit=5', headers: h.as.supervisor });
    assert.equal(res.statusCode, 200);
    const [latest] = res.json();
    assert.equal(latest.caseNumber, 'K-9');
    assert.equal(latest.results[0].faceId, faceId);
    const bad = await h.app.inject({ method: 'GET', url: '/v1/searches?limit=0', headers: h.as.supervisor });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'LIKENESS_BAD_INPUT');
  });

  it('filters the searches of the client on the server by user, case number and time, and refuses a time that is not one', async () => {
    const ivan = (await h.app.inject({ method: 'GET', url: '/v1/me', headers: h.as.investigator })).json().user.id as string;
    const sue = (await h.app.inject({ method: 'GET', url: '/v1/me', headers: h.as.supervisor })).json().user.id as string;
    const list = async (query: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/searches?${query}`, headers: h.as.supervisor });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Array<{ userId: string; caseNumber: string }>;
    };
    const mine = await list(`userId=${ivan}&caseNumber=K-9`);
    assert.ok(mine.length >= 1 && mine.every((s) => s.userId === ivan && s.caseNumber === 'K-9'));
    assert.deepEqual(await list(`userId=${sue}`), []);
    assert.deepEqual(await list('caseNumber=K-8'), []);
    assert.deepEqual(await list('from=2999-01-01'), []);
    assert.deepEqual(await list('to=2000-01-01T00:00:00Z'), []);
    assert.equal((await list('from=2000-01-01&to=2999-01-01')).length, (await list('limit=500')).length);
    for (const bad of ['from=yesterday', 'to=2026-13-01', `caseNumber=${'x'.repeat(201)}`]) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/searches?${bad}`, headers: h.as.supervisor });
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().code, 'LIKENESS_BAD_INPUT', bad);
    }
  });

  it('filters the audit entries of the client on the server by action, actor and time, and pages on by sequence number', async () => {
    assert.equal((await search()).statusCode, 200);
    const ivan = (await h.app.inject({ method: 'GET', url: '/v1/me', headers: h.as.investigator })).json().user.id as string;
    const list = async (query: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/audit?${query}`, headers: h.as.auditor });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Array<{ seq: number; actor: string; action: string }>;
    };
    const searches = await list(`action=search&actor=${ivan}`);
    assert.ok(searches.length >= 2 && searches.every((e) => e.action === 'search' && e.actor === ivan));
    assert.deepEqual(await list('actor=nobody'), []);
    assert.deepEqual(await list('action=search&from=2999-01-01'), []);
    const [first] = await list(`action=search&actor=${ivan}&limit=1`);
    const [second] = await list(`action=search&actor=${ivan}&limit=1&beforeSeq=${first!.seq}`);
    assert.deepEqual([first!.seq, second!.seq], [searches[0]!.seq, searches[1]!.seq]);
    const bad = await h.app.inject({ method: 'GET', url: '/v1/audit?to=soon', headers: h.as.auditor });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'LIKENESS_BAD_INPUT');
  });

  it('deletes a face: the next search no longer returns it, and the deletion is audited', async () => {
    const res = await h.app.inject({ method: 'DELETE', url: `/v1/faces/${faceId}`, headers: h.as.operator });
    assert.equal(res.statusCode, 204);
    assert.deepEqual((await search()).json().candidates, []);
    const again = await h.app.inject({ method: 'DELETE', url: `/v1/faces/${faceId}`, headers: h.as.operator });
    assert.equal(again.statusCode, 404);
    const [entry] = await h.services.audit.list({ action: 'face.delete', limit: 1 });
    assert.equal(entry!.target, faceId);
  });

  it('shows an auditor the entries of their client and verifies the chain', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/audit?action=search', headers: h.as.auditor });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().length >= 2);
    assert.ok(res.json().every((e: { action: string; hash: string }) => e.action === 'search' && /^[0-9a-f]{64}$/.test(e.hash)));
    const verify = await h.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: h.as.auditor });
    assert.equal(verify.statusCode, 200);
    assert.equal(verify.json().intact, true);
  });
});

describe('HTTP searches of my client made at one instant', () => {
  const NOW = new Date('2026-03-02T10:00:00.000Z');
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness({ clock: { now: () => NOW } });
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    assert.equal(declared.statusCode, 201, declared.body);
  });
  after(() => h.close());

  it('pages through them one by one with before and beforeId, skipping none', async () => {
    for (const caseNumber of ['K-1', 'K-2', 'K-3']) {
      const { payload, headers } = multipart([
        { name: 'image', filename: 'p.jpg', data: fakeImage(21) }, { name: 'caseNumber', value: caseNumber }, { name: 'purpose', value: 'missing person' },
      ]);
      const res = await h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload });
      assert.equal(res.statusCode, 200, res.body);
    }
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 4; page++) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/searches?limit=1${cursor}`, headers: h.as.supervisor });
      assert.equal(res.statusCode, 200, res.body);
      const [row] = res.json() as Array<{ id: string; at: string; caseNumber: string }>;
      if (!row) break;
      assert.equal(row.at, NOW.toISOString());
      seen.push(row.caseNumber);
      cursor = `&before=${encodeURIComponent(row.at)}&beforeId=${encodeURIComponent(row.id)}`;
    }
    assert.deepEqual(seen.sort(), ['K-1', 'K-2', 'K-3']);
    const all = (await h.app.inject({ method: 'GET', url: '/v1/searches?limit=3', headers: h.as.supervisor })).json() as Array<{ id: string }>;
    const shortForm = await h.app.inject({ method: 'GET', url: `/v1/searches?before=2026-03-02T10:00:00Z&beforeId=${all[0]!.id}`, headers: h.as.supervisor });
    assert.deepEqual((shortForm.json() as Array<{ id: string }>).map((r) => r.id), all.slice(1).map((r) => r.id), 'a time written without milliseconds pages on the same');
    for (const bad of [`beforeId=${all[0]!.id}`, 'bfore=2026-03-02T10:00:00Z', 'before=yesterday']) {
      const res = await h.app.inject({ method: 'GET', url: `/v1/searches?${bad}`, headers: h.as.supervisor });
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().code, 'LIKENESS_BAD_INPUT', bad);
    }
    const tooLong = await h.app.inject({ method: 'GET', url: `/v1/searches?before=${NOW.toISOString()}&beforeId=${'x'.repeat(101)}`, headers: h.as.supervisor });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().code, 'LIKENESS_BAD_INPUT');
  });
});
