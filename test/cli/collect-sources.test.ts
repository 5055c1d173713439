import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.ts';
import { html, startRecordingServer, type RecordingServer } from '../helpers/recording-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const photo = (name: string) => ({ headers: { 'content-type': 'image/jpeg' }, body: readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', name)) });
const CONTACT = 'https://example.org/likeness-crawler';

interface ImageRow { url: string | null; page_url: string | null; path: string | null; policy_decision: string | null }

function images(data: string, source: string): ImageRow[] {
  const db = new BetterSqlite3(join(data, 'likeness.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT i.url, i.page_url, i.path, i.policy_decision FROM images i JOIN sources s ON s.id = i.source_id WHERE s.name = ? ORDER BY i.url')
      .all(source) as ImageRow[];
  } finally {
    db.close();
  }
}

// Started at the top level: after() registered inside a before() hook would close it before the tests.
const server: RecordingServer = await startRecordingServer({
    '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /team/private/\n' },
    '/team/': html('<img src="colin.jpg"><a href="page2.html">more</a><a href="/other/">other</a>'
      + '<a href="private/x.html">private</a><img src="/elsewhere/bush.jpg"><img src="private/secret.jpg">'),
    '/team/page2.html': html('<img src="/team/blair.jpg">'),
    '/team/colin.jpg': photo('Colin_Powell_0001.jpg'),
    '/team/blair.jpg': photo('Tony_Blair_0002.jpg'),
    '/team/private/x.html': html('<img src="/team/private/secret.jpg">'),
    '/team/private/secret.jpg': photo('Serena_Williams_0001.jpg'),
    '/other/': html('<img src="/other/bush.jpg">'),
    '/elsewhere/bush.jpg': photo('George_W_Bush_0001.jpg'),
    '/list/serena.jpg': photo('Serena_Williams_0002.jpg'),
});

// Both web source kinds end to end: the real CLI, a loopback site, real face photographs.
describe('likeness ingest of url-list and targeted-site sources, against a local site', () => {
  const root = tempDir();
  const data = join(root, 'data');

  const declare = async (name: string, kind: string, uri: string) => {
    const run = await runCli(data, 'source', 'add', name, '--kind', kind, '--uri', uri, '--legal-basis', 'legitimate-interests',
      '--special-category', 'substantial-public-interest', '--jurisdiction', 'DE', '--retention-days', '30');
    assert.equal(run.code, 0, run.stderr);
  };

  before(async () => {
    assert.equal((await runCli(data, 'init')).code, 0);
    writeFileSync(join(data, 'likeness.config.json'), JSON.stringify({ collector: { contactUrl: CONTACT, minIntervalMs: 0 } }));
    const list = join(root, 'images.txt');
    writeFileSync(list, `# image URL, page URL\n${server.origin}/list/serena.jpg ${server.origin}/list/about.html\n${server.origin}/team/private/secret.jpg\n`);
    await declare('team-site', 'targeted-site', `${server.origin}/team/`);
    await declare('press-list', 'url-list', list);
  });

  it('crawls a targeted site within its scope, storing each image with its URL and page URL', async () => {
    const run = await runCli(data, 'ingest', '--source', 'team-site');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /collected 2 images from 2 pages/);
    assert.match(run.stdout, /ingested 2 images \(2 faces/);
    const rows = images(data, 'team-site');
    assert.deepEqual(rows.map((r) => [r.url, r.page_url, r.path]), [
      [`${server.origin}/team/blair.jpg`, `${server.origin}/team/page2.html`, null],
      [`${server.origin}/team/colin.jpg`, `${server.origin}/team/`, null],
    ]);
    assert.equal(JSON.parse(rows[0]!.policy_decision!).outcome, 'allow');
  });

  it('reads a url-list source, storing the page URL the list names', async () => {
    const run = await runCli(data, 'ingest', '--source', 'press-list', '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).ingested, 1);
    assert.deepEqual(images(data, 'press-list').map((r) => [r.url, r.page_url]), [[`${server.origin}/list/serena.jpg`, `${server.origin}/list/about.html`]]);
    assert.match(run.stderr, /private\/secret\.jpg: not fetched \(robots\)/);
  });

  it('never requested anything out of scope or disallowed by robots.txt, and said who it was every time', () => {
    const paths = server.paths();
    for (const never of ['/other/', '/other/bush.jpg', '/elsewhere/bush.jpg', '/team/private/x.html', '/team/private/secret.jpg', '/list/about.html']) {
      assert.ok(!paths.includes(never), `${never} was requested`);
    }
    assert.ok(paths.includes('/robots.txt'));
    for (const r of server.requests) assert.ok(String(r.headers['user-agent']).includes(CONTACT), `${r.path} without the contact URL`);
  });

  it('finds a collected face and shows where it was found', async () => {
    const run = await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', join(PROJECT_ROOT, 'test', 'fixtures', 'faces', 'Colin_Powell_0002.jpg'), '--json');
    assert.equal(run.code, 0, run.stderr);
    const top = JSON.parse(run.stdout).candidates[0];
    assert.equal(top.image.pageUrl, `${server.origin}/team/`);
  });
});
