import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig, PROJECT_ROOT } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { directoryImageFinder } from '../../src/repositories/files/directory-image-finder.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { defaultPolicy } from '../../src/services/policy/policy.ts';
import { multipart } from '../helpers/multipart.ts';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', name));

// The public door and the DPO's desk over HTTP, with the real models.
describe('subject requests over HTTP', { skip: !existsSync(join(PROJECT_ROOT, 'samples', 'gallery')) }, () => {
  let root: string;
  let likeness: Likeness;
  let app: FastifyInstance;
  let dpo: { authorization: string };
  let investigator: { authorization: string };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'likeness-subject-http-'));
    const photos = join(root, 'photos');
    for (const who of ['George_W_Bush', 'Serena_Williams']) cpSync(join(PROJECT_ROOT, 'samples', 'gallery', who), join(photos, who), { recursive: true });
    likeness = await buildLikeness(loadConfig({ dataDir: join(root, 'data'), env: { LIKENESS_WORKERS: '1' } }), {
      create: true, overrides: { fmrTable: PLACEHOLDER_FMR_TABLE, policy: { ...defaultPolicy(), clients: { ...defaultPolicy().clients, controller: 'authority' } } },
    });

    await likeness.catalogue.ensureGallery('default');
    await likeness.catalogue.declareSource({
      name: 'press', kind: 'directory', uri: photos, legalBasis: 'legitimate-interests', jurisdictions: ['DE'], retentionDays: 30, specialCategoryCondition: 'substantial-public-interest',
    });
    await (await likeness.ingest()).ingest(await directoryImageFinder.list(photos), 'press', { actor: { actor: 'local:test', client: null } });
    const services = likeness;
    await services.accounts.addClient({ name: 'authority', type: 'government', jurisdiction: 'DE' }, 'test');
    const key = async (name: string, role: string) =>
      ({ authorization: `Bearer ${(await services.accounts.addUser({ name, client: 'authority', roles: [role] }, 'test')).key}` });
    dpo = await key('dora', 'dpo');
    investigator = await key('ivan', 'investigator');
    app = await buildApp(services, { limits: { maxImageBytes: 5 * 1024 * 1024, maxFiles: 5 } });
  });
  after(async () => {
    await app?.close();
    await likeness?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const file = async (kind: string, selfie = 'George_W_Bush_0001.jpg') => {
    const body = multipart([
      { name: 'kind', value: kind }, { name: 'contact', value: 'me@example.org' },
      { name: 'selfie', filename: 'selfie.jpg', data: fixture(selfie) },
    ]);
    return app.inject({ method: 'POST', url: '/v1/subject-requests', headers: body.headers, payload: body.payload });
  };

  it('takes a request without an account and answers only "received, due by"', async () => {
    const res = await file('access');
    assert.equal(res.statusCode, 202, res.body);
    const receipt = res.json();
    assert.deepEqual(Object.keys(receipt).sort(), ['accessToken', 'dueAt', 'receivedAt', 'requestId', 'status']);
    const status = await app.inject({ method: 'GET', url: `/v1/subject-requests/${receipt.requestId}`, headers: { 'x-request-token': receipt.accessToken } });
    assert.equal(status.statusCode, 200);
    assert.equal(status.json().report, undefined);
  });

  it('refuses a request without a face or without a contact', async () => {
    const body = multipart([{ name: 'kind', value: 'access' }, { name: 'selfie', filename: 's.jpg', data: fixture('George_W_Bush_0001.jpg') }]);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/subject-requests', headers: body.headers, payload: body.payload })).statusCode, 400);
  });

  it('keeps the DPO desk to the dpo role', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/v1/dpo/requests' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/dpo/requests', headers: investigator })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/dpo/records-of-processing', headers: investigator })).statusCode, 403);
  });

  it('lets the DPO see the queue by due date, approve, exclude with a reason and print the report', async () => {
    const { requestId, accessToken } = (await file('access')).json();
    const queue = (await app.inject({ method: 'GET', url: '/v1/dpo/requests', headers: dpo })).json().requests;
    assert.ok(queue.length >= 2);
    assert.deepEqual(queue.map((r: { dueAt: string }) => r.dueAt), [...queue.map((r: { dueAt: string }) => r.dueAt)].sort());
    assert.ok(queue.every((r: { overdue: boolean }) => r.overdue === false));

    const approved = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/approve`, headers: dpo, payload: {} });
    assert.equal(approved.statusCode, 200, approved.body);
    const faces = approved.json().matches as Array<{ faceId: string }>;
    assert.equal(faces.length, 4);
    const excluded = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/exclusions`, headers: dpo, payload: { faceId: faces[0]!.faceId, reason: 'a look-alike' } });
    assert.equal(excluded.statusCode, 200, excluded.body);
    const report = (await app.inject({ method: 'GET', url: `/v1/dpo/requests/${requestId}/report`, headers: dpo })).json();
    assert.equal(report.faces.length, 3);
    // Paths are shown relative to the source's folder: the report tells nothing of the server's disk.
    assert.ok(report.faces.every((f: { image: { path: string } }) => /^George_W_Bush\/[^/]+\.jpg$/.test(f.image.path)), JSON.stringify(report.faces.map((f: { image: unknown }) => f.image)));
    assert.deepEqual(report.excluded.map((e: { reason: string }) => e.reason), ['a look-alike']);
    const html = await app.inject({ method: 'GET', url: `/v1/dpo/requests/${requestId}/report.html`, headers: dpo });
    assert.match(html.headers['content-type'] as string, /text\/html/);
    assert.match(html.body, /3 face\(s\) that match yours/);
    // The page may run nothing, load nothing and be framed by nobody; its one style block is allowed by hash.
    const csp = String(html.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.equal(html.headers['x-content-type-options'], 'nosniff');
    assert.ok(!html.body.includes(root), 'the report names no server path');
    const own = (await app.inject({ method: 'GET', url: `/v1/subject-requests/${requestId}`, headers: { 'x-request-token': accessToken } })).json();
    assert.equal(own.report.faces.length, 3);

    const extended = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/extend`, headers: dpo, payload: { months: 2, reason: 'many sources to check' } });
    assert.equal(extended.statusCode, 200, extended.body);
    assert.equal(extended.json().extension.reason, 'many sources to check');
    const again = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/extend`, headers: dpo, payload: { months: 1, reason: 'more' } });
    assert.equal(again.statusCode, 409);
  });

  it('approves a selfie that failed liveness only with a stated reason', async () => {
    const body = multipart([
      { name: 'kind', value: 'erasure' }, { name: 'contact', value: 'me@example.org' },
      { name: 'selfie', filename: 'selfie.jpg', data: readFileSync(join(PROJECT_ROOT, 'samples', 'probes', 'Serena_Williams_0009.jpg')) },
    ]);
    const { requestId } = (await app.inject({ method: 'POST', url: '/v1/subject-requests', headers: body.headers, payload: body.payload })).json();
    const url = `/v1/dpo/requests/${requestId}/approve`;
    assert.equal((await app.inject({ method: 'POST', url, headers: dpo, payload: {} })).statusCode, 400);
    const approved = await app.inject({ method: 'POST', url, headers: dpo, payload: { reason: 'identity checked by video call' } });
    assert.equal(approved.statusCode, 200, approved.body);
    const executed = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/execute`, headers: dpo });
    assert.equal(executed.statusCode, 200, executed.body);
    assert.equal(executed.json().erased.length, 4);
  });

  it('exports the records of processing', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/dpo/records-of-processing', headers: dpo });
    assert.equal(res.statusCode, 200);
    const records = res.json();
    assert.deepEqual(records.sources.map((s: { name: string; legalBasis: string }) => [s.name, s.legalBasis]), [['press', 'legitimate-interests']]);
    assert.deepEqual(records.recipients.map((r: { clientType: string }) => r.clientType), ['government']);
  });
});
