import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart, type Part } from '../helpers/multipart.ts';
import { startRecordingServer } from '../helpers/recording-server.ts';

// The receiver fails its first alert, then takes them: the outbox must retry after its back-off.
let answered = 0;
const receiver = await startRecordingServer({ '/hook': () => ({ status: answered++ === 0 ? 503 : 204 }) });

describe('case work over HTTP: lead reviews, the case file and its export, watches and their signed alerts', () => {
  let h: ApiHarness;
  let now = new Date('2026-03-01T10:00:00Z');
  let searchId: string;
  let faceId: string;

  const upload = async (seed: number, name: string, ...others: number[]) => {
    const { payload, headers } = multipart([{ name: 'images', filename: name, data: fakeImage(seed, ...others) }]);
    const res = await h.app.inject({ method: 'POST', url: '/v1/sources/press/images', headers: { ...h.as.operator, ...headers }, payload });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().images[0].faces[0].id as string;
  };
  const review = (who: keyof ApiHarness['as'], id: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/v1/searches/${id}/reviews`, headers: h.as[who], payload: body });
  const fileWatch = (parts: Part[], who: keyof ApiHarness['as'] = 'investigator') => {
    const { payload, headers } = multipart(parts);
    return h.app.inject({ method: 'POST', url: '/v1/watches', headers: { ...h.as[who], ...headers }, payload });
  };
  const watchParts = (extra: Part[] = []): Part[] => [
    { name: 'image', filename: 'w.jpg', data: fakeImage(77) }, { name: 'caseNumber', value: 'K-1' }, { name: 'purpose', value: 'find a missing person' },
    { name: 'expiresInDays', value: '30' }, ...extra,
  ];

  before(async () => {
    h = await apiHarness({ clock: { now: () => now }, policy: (p) => { p.watches = { enabled: true, maxDays: 90, webhookAllowPrivate: true }; } });
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    faceId = await upload(21, 'a.jpg');
    const { payload, headers } = multipart([{ name: 'image', filename: 'p.jpg', data: fakeImage(21) }, { name: 'caseNumber', value: 'K-1' }, { name: 'purpose', value: 'identify a witness' }]);
    const res = await h.app.inject({ method: 'POST', url: '/v1/search', headers: { ...h.as.investigator, ...headers }, payload });
    assert.equal(res.statusCode, 200, res.body);
    searchId = res.json().searchId;
    assert.equal(res.json().candidates[0].faceId, faceId);
  });
  after(() => h.close());

  it('records a review of a candidate with its audit entry, and a later review supersedes it in the case file', async () => {
    const first = await review('investigator', searchId, { faceId, disposition: 'inconclusive', reason: 'poor lighting' });
    assert.equal(first.statusCode, 201, first.body);
    now = new Date(now.getTime() + 60_000);
    const second = await review('supervisor', searchId, { faceId, disposition: 'likely-match', reason: 'same scar above the left eye' });
    assert.equal(second.statusCode, 201, second.body);
    const [entry] = await h.services.audit.list({ action: 'search.review', limit: 1 });
    assert.equal(entry!.target, searchId);
    assert.deepEqual([entry!.details.disposition, entry!.details.reviewId, entry!.details.caseNumber], ['likely-match', second.json().id, 'K-1']);
    const listed = await h.app.inject({ method: 'GET', url: `/v1/searches/${searchId}/reviews`, headers: h.as.investigator });
    assert.deepEqual(listed.json().map((r: { disposition: string }) => r.disposition), ['inconclusive', 'likely-match']);

    const file = (await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as.investigator })).json();
    const [search] = file.searches;
    assert.equal(search.id, searchId);
    assert.equal(search.user.name, 'ivan');
    assert.equal(search.candidates[0].review.disposition, 'likely-match');
    assert.equal(search.candidates[0].review.user.name, 'sue');
    assert.equal(search.candidates[0].provenance.source, 'press');
    assert.equal(typeof search.candidates[0].falseMatchRate, 'number');
    assert.equal(search.reviews.length, 2);
  });

  it('lets investigators and supervisors of the client review, no other role, and hides other clients\' searches', async () => {
    const body = { faceId, disposition: 'not-a-match', reason: 'x' };
    for (const role of ['operator', 'auditor', 'dpo'] as const) {
      assert.equal((await review(role, searchId, body)).statusCode, 403, role);
    }
    const outsider = await review('outsider', searchId, body);
    assert.equal(outsider.statusCode, 404);
    assert.equal(outsider.json().code, 'LIKENESS_NOT_FOUND');
    assert.equal((await h.app.inject({ method: 'POST', url: `/v1/searches/${searchId}/reviews`, payload: body })).statusCode, 401);
  });

  it('refuses a review without a known disposition, a reason, or of a face that was not a candidate', async () => {
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ faceId, disposition: 'match', reason: 'x' }, 400],
      [{ faceId, disposition: 'likely-match', reason: '' }, 400],
      [{ faceId, disposition: 'likely-match', reason: '   ' }, 400],
      [{ faceId, disposition: 'likely-match' }, 400],
      [{ faceId: 'not-a-candidate', disposition: 'likely-match', reason: 'x' }, 400],
      [{ faceId, disposition: 'likely-match', reason: 'x'.repeat(2001) }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await review('investigator', searchId, body);
      assert.equal(res.statusCode, status, JSON.stringify(body).slice(0, 80));
      assert.equal(res.json().code, 'LIKENESS_BAD_INPUT');
    }
    assert.equal((await review('investigator', 'no-such-search', { faceId, disposition: 'likely-match', reason: 'x' })).statusCode, 404);
    const notJson = await h.app.inject({ method: 'POST', url: `/v1/searches/${searchId}/reviews`, headers: { ...h.as.investigator, 'content-type': 'application/json' }, payload: '{' });
    assert.equal(notJson.statusCode, 400);
  });

  it('shows the case file to the client\'s supervisors and auditors, not to operators or other clients', async () => {
    for (const role of ['supervisor', 'auditor'] as const) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as[role] });
      assert.equal(res.statusCode, 200, role);
      assert.equal(res.json().searches.length, 1);
    }
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as.operator })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as.dpo })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as.outsider })).statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1' })).statusCode, 401);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/NOPE', headers: h.as.supervisor })).statusCode, 404);
  });

  it('exports the case as HTML and PDF, ending with the audit head, and audits the export', async () => {
    const head = await h.services.audit.head();
    const html = await h.app.inject({ method: 'GET', url: '/v1/cases/K-1/export?format=html', headers: h.as.supervisor });
    assert.equal(html.statusCode, 200, html.body);
    assert.match(html.headers['content-type'] as string, /^text\/html/);
    const probeSha256 = (await h.services.audit.list({ action: 'search', limit: 1 }))[0]!.details.probeSha256 as string;
    assert.ok(html.body.includes('K-1') && html.body.includes(probeSha256) && html.body.includes('same scar above the left eye'));
    assert.ok(html.body.includes(head!.hash), 'the audit head at export time');
    const [exported] = await h.services.audit.list({ action: 'case.export', limit: 1 });
    assert.deepEqual([exported!.target, exported!.details.format, exported!.details.auditHeadHash], ['K-1', 'html', head!.hash]);
    assert.equal(exported!.details.sha256, html.headers['x-content-sha256']);

    const pdf = await h.app.inject({ method: 'GET', url: '/v1/cases/K-1/export?format=pdf', headers: h.as.investigator });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    for (const query of ['format=doc', '', 'format=']) {
      const bad = await h.app.inject({ method: 'GET', url: `/v1/cases/K-1/export?${query}`, headers: h.as.supervisor });
      assert.equal(bad.statusCode, 400, query);
    }
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1/export?format=pdf', headers: h.as.operator })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/cases/K-1/export?format=pdf', headers: h.as.outsider })).statusCode, 404);
  });

  it('files a watch pending approval; only another person, a supervisor of the client, approves it', async () => {
    const filed = await fileWatch(watchParts([{ name: 'webhookUrl', value: `${receiver.origin}/hook` }]));
    assert.equal(filed.statusCode, 201, filed.body);
    const { id, status, secret } = filed.json();
    assert.equal(status, 'pending-approval');
    assert.match(secret, /^[0-9a-f]{64}$/);

    // Not yet active: a face of the person ingested now is no hit.
    await upload(77, 'before-approval.jpg');
    assert.equal((await h.services.store.cases.hits.listByWatches([id])).length, 0);

    assert.equal((await h.app.inject({ method: 'POST', url: `/v1/watches/${id}/approve`, headers: h.as.investigator })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'POST', url: `/v1/watches/${id}/approve`, headers: h.as.auditor })).statusCode, 403);
    assert.equal((await h.app.inject({ method: 'POST', url: '/v1/watches/nope/approve', headers: h.as.supervisor })).statusCode, 404);
    const approved = await h.app.inject({ method: 'POST', url: `/v1/watches/${id}/approve`, headers: h.as.supervisor });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'active');
    const again = await h.app.inject({ method: 'POST', url: `/v1/watches/${id}/approve`, headers: h.as.supervisor });
    assert.equal(again.statusCode, 409);

    // Active: an ingested face of the person is a hit, recorded, audited, and alerted, signed.
    const hitFace = await upload(77, 'after-approval.jpg', 5);
    await upload(5, 'someone-else.jpg');
    const hits = await h.services.store.cases.hits.listByWatches([id]);
    assert.deepEqual(hits.map((x) => x.faceId), [hitFace]);
    const [audited] = await h.services.audit.list({ action: 'watch.hit', limit: 1 });
    assert.deepEqual([audited!.target, audited!.client, audited!.details.faceId], [id, (await h.services.accounts.clientByName('police')).id, hitFace]);

    const first = await h.services.watchAlerts.drain();
    assert.deepEqual(first, { delivered: 0, retrying: 1, failed: 0 });
    assert.deepEqual(await h.services.watchAlerts.drain(), { delivered: 0, retrying: 0, failed: 0 }, 'not before its back-off');
    now = new Date(now.getTime() + 31_000);
    assert.deepEqual(await h.services.watchAlerts.drain(), { delivered: 1, retrying: 0, failed: 0 });
    assert.deepEqual(await h.services.watchAlerts.drain(), { delivered: 0, retrying: 0, failed: 0 }, 'sent once');

    assert.equal(receiver.requests.length, 2);
    const delivered = receiver.requests[1]!;
    assert.equal(delivered.method, 'POST');
    const expected = `sha256=${createHmac('sha256', secret).update(delivered.body).digest('hex')}`;
    assert.equal(delivered.headers['x-likeness-signature'], expected);
    const body = JSON.parse(delivered.body.toString());
    assert.deepEqual([body.watchId, body.caseNumber, body.faceId, body.provenance.source], [id, 'K-1', hitFace, 'press']);
    assert.equal(typeof body.falseMatchRate, 'number');
    assert.ok(body.score > 0.99);
    assert.ok(!/embedding|template|bytes/.test(delivered.body.toString()), 'no biometric data in the alert');

    const file = (await h.app.inject({ method: 'GET', url: '/v1/cases/K-1', headers: h.as.supervisor })).json();
    assert.equal(file.watches[0].id, id);
    assert.equal(file.watches[0].approvedByUser.name, 'sue');
    assert.deepEqual(file.watches[0].hits.map((x: { faceId: string }) => x.faceId), [hitFace]);
    assert.equal(file.watches[0].secret, undefined, 'the secret is shown once, at filing');
  });

  it('refuses a watch longer than the policy allows, without an image, a case or a usable webhook, or filed by another role', async () => {
    const tooLong = await fileWatch(watchParts().map((p) => (p.name === 'expiresInDays' ? { name: p.name, value: '91' } : p)));
    assert.equal(tooLong.statusCode, 403);
    assert.equal(tooLong.json().details.ruleId, 'watch-max-days');
    const noCase = await fileWatch(watchParts().filter((p) => p.name !== 'caseNumber'));
    assert.equal(noCase.statusCode, 400);
    assert.equal(noCase.json().details.ruleId, 'case-number-required');
    const bad: Array<[Part[], number]> = [
      [watchParts().filter((p) => p.name !== 'image'), 400],
      [watchParts().filter((p) => p.name !== 'expiresInDays'), 400],
      [watchParts().map((p) => (p.name === 'expiresInDays' ? { name: p.name, value: '1.5' } : p)), 400],
      [watchParts([{ name: 'webhookUrl', value: 'ftp://example.org/x' }]), 400],
      [watchParts([{ name: 'webhookUrl', value: 'not a url' }]), 400],
      [watchParts([{ name: 'webhookUrl', value: 'https://user:pw@example.org/x' }]), 400],
      [[{ name: 'image', filename: 'w.jpg', data: fakeImage() }, ...watchParts().slice(1)], 422],
    ];
    for (const [parts, status] of bad) assert.equal((await fileWatch(parts)).statusCode, status, JSON.stringify(parts.map((p) => p.name)));
    for (const role of ['supervisor', 'operator', 'auditor', 'dpo'] as const) assert.equal((await fileWatch(watchParts(), role)).statusCode, 403, role);
    // Those the route lets through to the use case (all but a missing image or a malformed number) are audited.
    assert.equal((await h.services.audit.list({ action: 'watch.refused', limit: 50 })).length, 7);
  });
});

describe('watches when the policy leaves them off (the default)', () => {
  it('refuses to file one, naming the rule', async () => {
    const h = await apiHarness();
    try {
      const { payload, headers } = multipart([
        { name: 'image', filename: 'w.jpg', data: fakeImage(77) }, { name: 'caseNumber', value: 'K-1' }, { name: 'purpose', value: 'p' }, { name: 'expiresInDays', value: '3' },
      ]);
      const res = await h.app.inject({ method: 'POST', url: '/v1/watches', headers: { ...h.as.investigator, ...headers }, payload });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().details.ruleId, 'watches-disabled');
    } finally {
      await h.close();
    }
  });
});
