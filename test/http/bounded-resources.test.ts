import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import type { ApiLimits } from '../../src/http/api-services.ts';
import { MAX_FUSED_PHOTOS } from '../../src/services/searches/accountable-search-service.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';
import { multipartStream, streamedPost, type StreamedPart } from '../helpers/streamed-post.ts';

const MB = 1024 * 1024;
const SOURCE = { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', jurisdictions: ['FR'], retentionDays: 30 };
const justified: StreamedPart[] = [{ name: 'caseNumber', value: 'C-1' }, { name: 'purpose', value: 'identify a suspect' }];

// The real app on a loopback port, over the harness's services, with the limits a test needs.
async function listening(h: ApiHarness, limits: Partial<ApiLimits> = {}): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await buildApp(h.services, { limits: { maxImageBytes: 64 * 1024, maxFiles: 5, ...limits } });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, origin };
}

/** Resolves when the server hangs up, with everything it wrote first. */
function untilClosed(socket: Socket): Promise<string> {
  let seen = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (seen += d));
  return new Promise((resolve) => socket.on('close', () => resolve(seen)));
}

describe('bounded resources on the HTTP edge', () => {
  let h: ApiHarness;
  let app: FastifyInstance;
  let origin: string;
  before(async () => {
    h = await apiHarness();
    await h.app.inject({ method: 'POST', url: '/v1/sources', headers: h.as.operator, payload: SOURCE });
    ({ app, origin } = await listening(h));
  });
  after(async () => {
    await app?.close();
    await h?.close();
  });
  const searches = async () => (await h.app.inject({ method: 'GET', url: '/v1/searches', headers: h.as.supervisor })).json().length;

  it('refuses a probe image past the photos a search fuses the moment it begins, without reading the 100 MB behind it', async (t) => {
    const before = await searches();
    const fused = Array.from({ length: MAX_FUSED_PHOTOS }, (_, i) => ({ name: 'image', filename: `${i}.jpg`, bytes: fakeImage(12) }));
    const body = multipartStream([...justified, ...fused, { name: 'image', filename: 'extra.jpg', bytes: 100 * MB }]);
    const answer = await streamedPost(`${origin}/v1/search`, { ...h.as.investigator, ...body.headers }, body.chunks);
    assert.equal(answer.status, 413, answer.body);
    assert.equal(JSON.parse(answer.body).code, 'LIKENESS_TOO_MANY_FILES');
    t.diagnostic(`client bytes sent before the refusal: ${answer.bytesSent} of ${body.totalBytes}`);
    assert.equal(answer.headers.connection, 'close');
    assert.ok(answer.bytesSent < body.totalBytes / 5, `the client got ${answer.bytesSent} of ${body.totalBytes} bytes away`);
    assert.equal(await searches(), before);
    assert.equal(app.bodyBudget.bytesInFlight, 0);
  });

  it('refuses an image as it passes the size limit, reading no further', async (t) => {
    const body = multipartStream([...justified, { name: 'image', filename: 'a.jpg', bytes: 100 * MB }]);
    const answer = await streamedPost(`${origin}/v1/search`, { ...h.as.investigator, ...body.headers }, body.chunks);
    assert.equal(answer.status, 413, answer.body);
    assert.equal(JSON.parse(answer.body).code, 'LIKENESS_IMAGE_TOO_LARGE');
    t.diagnostic(`client bytes sent before the refusal: ${answer.bytesSent} of ${body.totalBytes}`);
    assert.ok(answer.bytesSent < body.totalBytes / 5, `the client got ${answer.bytesSent} of ${body.totalBytes} bytes away`);
  });

  it('refuses a declared body larger than the route takes before reading any of it', async () => {
    const answer = await new Promise<{ status: number; code: string }>((resolve, reject) => {
      const req = request(`${origin}/v1/search`, {
        method: 'POST', agent: false,
        headers: { ...h.as.investigator, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(500 * MB) },
      }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, code: JSON.parse(text).code }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.deepEqual(answer, { status: 413, code: 'LIKENESS_PAYLOAD_TOO_LARGE' });
  });

  it('answers 503 once the bodies being read would pass the server\'s cap, and takes uploads again when they end', async (t) => {
    const capped = await listening(h, { maxBytesInFlight: 300_000 });
    t.after(() => capped.app.close());
    // Two uploads that declare 140 kB each, send their headers and a few bytes, and stall.
    const stalled = [1, 2].map(() => {
      const socket = connect(Number(new URL(capped.origin).port), '127.0.0.1');
      socket.write(`POST /v1/search HTTP/1.1\r\nHost: x\r\nAuthorization: ${h.as.investigator.authorization}\r\n`
        + 'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 140000\r\n\r\n--x\r\n');
      socket.on('error', () => {});
      return socket;
    });
    while (capped.app.bodyBudget.bytesInFlight < 280_000) await new Promise((r) => setImmediate(r));
    const image = multipartStream([...justified, { name: 'image', filename: 'a.jpg', bytes: fakeImage(12) }]);
    const refused = await streamedPost(`${capped.origin}/v1/search`, { ...h.as.investigator, ...image.headers }, image.chunks);
    assert.equal(refused.status, 503, refused.body);
    assert.equal(JSON.parse(refused.body).code, 'LIKENESS_SERVER_BUSY');
    assert.ok(refused.headers['retry-after']);

    for (const socket of stalled) socket.destroy();
    while (capped.app.bodyBudget.bytesInFlight > 0) await new Promise((r) => setImmediate(r));
    const again = multipartStream([...justified, { name: 'image', filename: 'a.jpg', bytes: fakeImage(12) }]);
    const accepted = await streamedPost(`${capped.origin}/v1/search`, { ...h.as.investigator, ...again.headers }, again.chunks);
    assert.notEqual(accepted.status, 503, accepted.body);
    assert.notEqual(accepted.status, 413, accepted.body);
  });

  it('hangs up on a request whose headers never end, and on a body that stops half-way', async (t) => {
    const quick = await listening(h, { requestTimeoutMs: 600, headersTimeoutMs: 300 });
    t.after(() => quick.app.close());
    const port = Number(new URL(quick.origin).port);

    const headersOnly = connect(port, '127.0.0.1');
    headersOnly.write('GET /v1/transparency HTTP/1.1\r\nHost: x\r\n');
    const halfBody = connect(port, '127.0.0.1');
    halfBody.write(`POST /v1/search HTTP/1.1\r\nHost: x\r\nAuthorization: ${h.as.investigator.authorization}\r\n`
      + 'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 10000\r\n\r\n--x\r\n');
    // Node answers 408 where it still can, or else just closes; either way nothing is held.
    const [first, second] = await Promise.all([untilClosed(headersOnly), untilClosed(halfBody)]);
    assert.match(first, /^(HTTP\/1\.1 408|$)/);
    assert.match(second, /^(HTTP\/1\.1 408|$)/);
    while (quick.app.bodyBudget.bytesInFlight > 0) await new Promise((r) => setImmediate(r));
  });
});
