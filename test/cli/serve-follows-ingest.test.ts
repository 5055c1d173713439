import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { multipart } from '../helpers/multipart.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');
const HELD_BACK = 'Colin_Powell_0008.jpg';
/**
 * Searches of the server, one every POLL_MS, before giving up: 20 s in all, and with the first
 * search fewer than the default policy's 10 searches a minute per investigator.
 */
const POLLS = 8;
const POLL_MS = 2_500;

async function cli(data: string, ...args: string[]): Promise<string> {
  const run = await runCli(data, ...args);
  assert.equal(run.code, 0, `likeness ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

// The way a gallery is run: `likeness serve` answering searches while `likeness ingest`, another
// process, adds photos to the same data directory. Nothing tells the server; it follows the store.
describe('a running server and an ingest in another process', () => {
  // Removed once the server has stopped, not by tempDir(): it saves its indexes as it stops.
  const dir = mkdtempSync(join(tmpdir(), 'likeness-follow-'));
  const data = join(dir, 'data');
  const photos = join(dir, 'photos');
  let origin = '';
  let key = '';
  let server: ReturnType<typeof startCli> | undefined;

  before(async () => {
    for (const person of ['Colin_Powell', 'Tony_Blair']) cpSync(join(GALLERY, person), join(photos, person), { recursive: true });
    // One photo of Colin Powell stays out of the first ingest; it is also the probe.
    rmSync(join(photos, 'Colin_Powell', HELD_BACK));
    await cli(data, 'init');
    await cli(data, 'source', 'add', 'press-archive', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
      '--jurisdiction', 'FR', '--retention-days', '365', '--special-category', 'substantial-public-interest');
    await cli(data, 'ingest', photos, '--source', 'press-archive');
    await cli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR');
    await cli(data, 'client', 'grant', 'police', '--gallery', 'default');
    key = (await cli(data, 'user', 'add', 'iv', '--client', 'police', '--role', 'investigator')).trim().split('\n').pop()!;

    server = startCli(data, ['serve', '--port', '0', '--web', join(dir, 'no-web-ui')], { LIKENESS_LOG_LEVEL: 'info' });
    const started = server;
    origin = await new Promise<string>((resolve, reject) => {
      let seen = '';
      started.child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (found) resolve(found[1]!);
      });
      void started.done.then((r) => reject(new Error(`serve exited ${r.code} before listening: ${r.stderr}`)));
    });
  });
  after(async () => {
    server?.child.kill('SIGTERM');
    const stopped = await server?.done;
    rmSync(dir, { recursive: true, force: true });
    assert.equal(stopped?.code ?? 0, 0, `serve stopped with an error: ${stopped?.stderr}`);
  });

  /** The image paths the server returns for the held-back photo, best first. */
  async function searchPaths(): Promise<string[]> {
    const body = multipart([
      { name: 'image', filename: 'probe.jpg', data: readFileSync(join(GALLERY, 'Colin_Powell', HELD_BACK)) },
      { name: 'caseNumber', value: 'C-14' }, { name: 'purpose', value: 'following the store' },
    ]);
    const res = await fetch(`${origin}/v1/search`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...body.headers }, body: new Uint8Array(body.payload) });
    assert.equal(res.status, 200, await res.clone().text());
    const result = await res.json() as { candidates: Array<{ image: { path: string | null } }> };
    return result.candidates.map((c) => c.image.path ?? '');
  }

  it('returns a photo ingested by `likeness ingest` while it runs, without a restart', async () => {
    const first = await searchPaths();
    assert.ok(first.length > 0 && first.every((p) => !p.endsWith(HELD_BACK)), `before the ingest: the other photos of Colin Powell only (${first.join(', ')})`);

    cpSync(join(GALLERY, 'Colin_Powell', HELD_BACK), join(photos, 'Colin_Powell', HELD_BACK));
    assert.match(await cli(data, 'ingest', photos, '--source', 'press-archive'), /ingested 1 images/);

    let paths = first;
    for (let poll = 0; poll < POLLS && !paths.some((p) => p.endsWith(HELD_BACK)); poll++) {
      await sleep(POLL_MS);
      paths = await searchPaths();
    }
    assert.ok(paths[0]?.endsWith(HELD_BACK),
      `the server never returned ${HELD_BACK}, ingested by another process, in ${POLLS} searches ${POLL_MS} ms apart; it returned ${paths.join(', ')}`);
  });
});
