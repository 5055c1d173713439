import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { SUBJECT_REQUESTS_PER_HOUR } from '../../src/http/public-rate-limit.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { multipartStream, streamedPost, type StreamedPart } from '../helpers/streamed-post.ts';

const MB = 1024 * 1024;
const selfie = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', 'Colin_Powell_0001.jpg'));

/** Peak resident memory of a process so far (Linux), in bytes. */
function peakRss(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  assert.ok(kib, 'no VmHWM in /proc');
  return Number(kib) * 1024;
}

// The public door of the real server, attacked without an account from one address.
describe('anonymous subject requests against `likeness serve`', () => {
  let dir: string;
  let origin: string;
  let server: ReturnType<typeof startCli>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'likeness-flood-'));
    const data = join(dir, 'data');
    const init = await runCli(data, 'init');
    assert.equal(init.code, 0, init.stderr);
    server = startCli(data, ['serve', '--port', '0', '--web', join(dir, 'no-ui')], { LIKENESS_LOG_LEVEL: 'info' });
    origin = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (found) resolve(found[1]!);
      });
      void server.done.then((r) => reject(new Error(`serve exited ${r.code}: ${r.stderr}`)));
    });
  });
  after(async () => {
    server?.child.kill('SIGTERM');
    await server?.done;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses 4 parallel requests of 10 documents of 20 MB each, and stays under 1 GiB', async (t) => {
    const before = peakRss(server.child.pid!);
    const parts: StreamedPart[] = [
      { name: 'kind', value: 'access' }, { name: 'contact', value: 'me@example.org' }, { name: 'selfie', filename: 'me.jpg', bytes: selfie },
      ...Array.from({ length: 10 }, (_, i) => ({ name: 'document', filename: `id-${i}.jpg`, bytes: 20 * MB })),
    ];
    const answers = await Promise.all([1, 2, 3, 4].map(() => {
      const body = multipartStream(parts);
      return streamedPost(`${origin}/v1/subject-requests`, body.headers, body.chunks);
    }));
    assert.deepEqual(answers.map((a) => [a.status, JSON.parse(a.body).code]), Array(4).fill([413, 'LIKENESS_TOO_MANY_FILES']));
    const peak = peakRss(server.child.pid!);
    t.diagnostic(`server peak RSS ${Math.round(before / MB)} MiB before, ${Math.round(peak / MB)} MiB after; `
      + `client bytes sent per request: ${answers.map((a) => Math.round(a.bytesSent / MB)).join(', ')} MiB of ${Math.round(multipartStream(parts).totalBytes / MB)}`);
    assert.ok(peak < 1024 * MB, `peak RSS ${peak} bytes`);
  });

  it('answers 429 to 30 requests in a row from one address, past its hourly allowance', async () => {
    const statuses: number[] = [];
    let refusal: { code?: string; retryAfter?: string } = {};
    for (let i = 0; i < 30; i++) {
      // Not a photo: whatever is let through is refused by the engine and files nothing.
      const body = multipartStream([{ name: 'kind', value: 'access' }, { name: 'contact', value: 'me@example.org' }, { name: 'selfie', filename: 'me.jpg', bytes: 1000 }]);
      const answer = await streamedPost(`${origin}/v1/subject-requests`, body.headers, body.chunks);
      statuses.push(answer.status);
      if (answer.status === 429) refusal = { code: JSON.parse(answer.body).code, retryAfter: String(answer.headers['retry-after']) };
    }
    const limited = statuses.filter((s) => s === 429).length;
    assert.ok(limited >= 30 - SUBJECT_REQUESTS_PER_HOUR, `statuses: ${statuses.join(' ')}`);
    assert.ok(statuses.slice(0, 2).every((s) => s !== 429), 'the first requests are not refused');
    assert.equal(refusal.code, 'LIKENESS_TOO_MANY_REQUESTS');
    assert.match(refusal.retryAfter ?? '', /^\d+$/);
  });
});
