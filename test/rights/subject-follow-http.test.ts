import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import type { SelfieAnalyser } from '../../src/ports/selfie-analyser.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { defaultPolicy } from '../../src/services/policy/policy.ts';
import { multipart } from '../helpers/multipart.ts';

// A selfie analysis that needs no models: these tests are about the door, not about faces.
const selfies: SelfieAnalyser = {
  analyse: async () => ({ embedding: new Float32Array(512).fill(1 / Math.sqrt(512)), modelId: 'test-model', liveness: { score: 0.9, modelId: 'test-liveness' } }),
};

// Following a request takes no key: what a wrong guess learns, and how many guesses one address gets.
describe('following a subject request over HTTP', () => {
  let root: string;
  let likeness: Likeness;
  let app: FastifyInstance;
  let dpo: { authorization: string };
  let now = Date.parse('2025-03-01T10:00:00Z');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'likeness-subject-follow-'));
    // "authority" runs likeness here: its DPO acts for the controller (docs/architecture.md, "Authorisation").
    const policy = { ...defaultPolicy(), clients: { ...defaultPolicy().clients, controller: 'authority' } };
    likeness = await buildLikeness(loadConfig({ dataDir: join(root, 'data'), env: {} }), { create: true, overrides: { selfies, fmrTable: PLACEHOLDER_FMR_TABLE, policy } });
    const services = likeness;
    await services.accounts.addClient({ name: 'authority', type: 'government', jurisdiction: 'DE' }, 'test');
    dpo = { authorization: `Bearer ${(await services.accounts.addUser({ name: 'dora', client: 'authority', roles: ['dpo'] }, 'test')).key}` };
    app = await buildApp(services, {
      limits: { maxImageBytes: 1024 * 1024, maxFiles: 2 },
      followLimit: { requests: 3, windowSeconds: 600 },
      clock: { now: () => new Date(now) },
    });
  });
  after(async () => {
    await app?.close();
    await likeness?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const file = async (kind: string): Promise<{ requestId: string; accessToken: string; dueAt: string }> => {
    const body = multipart([
      { name: 'kind', value: kind }, { name: 'contact', value: 'me@example.org' },
      { name: 'selfie', filename: 'selfie.jpg', data: Buffer.from('not read by the test analyser') },
    ]);
    const res = await app.inject({ method: 'POST', url: '/v1/subject-requests', headers: body.headers, payload: body.payload });
    assert.equal(res.statusCode, 202, res.body);
    return res.json();
  };
  const follow = (id: string, token: string, remoteAddress: string, suffix = '') =>
    app.inject({ method: 'GET', url: `/v1/subject-requests/${id}${suffix}`, headers: { 'x-request-token': token }, remoteAddress });

  it('shows the status and due date to the right id and code, and one same answer to a wrong id or a wrong code', async () => {
    const { requestId, accessToken, dueAt } = await file('access');
    const right = await follow(requestId, accessToken, '192.0.2.1');
    assert.equal(right.statusCode, 200, right.body);
    assert.deepEqual([right.json().status, right.json().dueAt], ['received', dueAt]);

    const wrongId = await follow(`${requestId.slice(0, -4)}zzzz`, accessToken, '192.0.2.2');
    const wrongCode = await follow(requestId, `${accessToken.slice(0, -4)}zzzz`, '192.0.2.2');
    assert.equal(wrongId.statusCode, 404);
    assert.deepEqual([wrongCode.statusCode, wrongCode.json()], [wrongId.statusCode, wrongId.json()]);
    assert.doesNotMatch(wrongId.body, new RegExp(requestId));
  });

  it('refuses an address its fourth lookup in the window, whether right or wrong, until the window ends', async () => {
    const { requestId, accessToken } = await file('erasure');
    assert.equal((await follow(requestId, 'a-wrong-code-guessed', '198.51.100.7')).statusCode, 404);
    assert.equal((await follow(requestId, 'another-wrong-code', '198.51.100.7')).statusCode, 404);
    assert.equal((await follow(requestId, accessToken, '198.51.100.7')).statusCode, 200);
    const refused = await follow(requestId, accessToken, '198.51.100.7');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().code, 'LIKENESS_RATE_LIMITED');
    assert.equal(refused.headers['retry-after'], '600');
    assert.equal((await follow(requestId, accessToken, '198.51.100.8')).statusCode, 200, 'another address has its own count');

    now += 599_000;
    assert.equal((await follow(requestId, accessToken, '198.51.100.7')).statusCode, 429);
    assert.equal((await follow(requestId, accessToken, '198.51.100.7')).headers['retry-after'], '1');
    now += 1_000;
    assert.equal((await follow(requestId, accessToken, '198.51.100.7')).statusCode, 200);
  });

  it('hands the requester the access report as a download once the DPO approves, not before', async () => {
    const { requestId, accessToken } = await file('access');
    const early = await follow(requestId, accessToken, '203.0.113.1', '/report.html');
    assert.equal(early.statusCode, 409);
    assert.equal((await follow(requestId, 'wrong-code-wrong-code', '203.0.113.1', '/report.html')).statusCode, 404);

    const approved = await app.inject({ method: 'POST', url: `/v1/dpo/requests/${requestId}/approve`, headers: dpo, payload: {} });
    assert.equal(approved.statusCode, 200, approved.body);
    const report = await follow(requestId, accessToken, '203.0.113.2', '/report.html');
    assert.equal(report.statusCode, 200, report.body);
    assert.match(report.headers['content-type'] as string, /^text\/html/);
    assert.equal(report.headers['content-disposition'], `attachment; filename="likeness-access-report-${requestId}.html"`);
    assert.match(report.body, new RegExp(`Request ${requestId}, received`));
    assert.match(report.body, /We hold no face that matches yours/);
    const status = (await follow(requestId, accessToken, '203.0.113.2')).json();
    assert.deepEqual([status.status, status.report.faces], ['approved', []]);
  });
});
