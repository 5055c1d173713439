import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html, jpeg, startRecordingServer, type RecordingServer } from '../../../test/helpers/recording-server.ts';
import type { CollectedImage, CollectionSummary } from '../../ports/collected-image.ts';
import type { SkipEvent } from './polite-client.ts';
import { collectSite, type SiteCollectorOptions } from './site-collector.ts';
import { fakePacingClock } from './fake-pacing-clock.ts';
import { loopbackFetcher } from './test-fetcher.ts';
import { identity } from './user-agent.ts';

const me = identity('https://likeness.example/crawler', { version: '0.1' });

async function crawl(start: string, options: Partial<SiteCollectorOptions> = {}) {
  const fetcher = loopbackFetcher(options.clock?.now);
  const skips: SkipEvent[] = [];
  const images: CollectedImage[] = [];
  const run = collectSite(start, {
    identity: me, minIntervalMs: 5, byteBudget: 10_000_000, pageBudget: 50, fetcher, onSkip: (e) => skips.push(e), ...options,
  });
  let next = await run.next();
  while (!next.done) {
    images.push(next.value);
    next = await run.next();
  }
  return { images, summary: next.value as CollectionSummary, skips, fetcher };
}

const pathsOf = (server: RecordingServer) => server.paths().sort();
/** Time from each request's start to the next one's. */
const gapsOf = (calls: ReadonlyArray<{ at: number }>) => calls.slice(1).map((c, i) => c.at - calls[i]!.at);

describe('collectSite: scope, robots.txt, login', async () => {
  const other = await startRecordingServer({ '/site/x.html': html('other port'), '/robots.txt': { body: '' } });
  const site = await startRecordingServer({
    '/robots.txt': { body: 'User-agent: *\nDisallow: /\n\nUser-agent: likeness\nDisallow: /site/private/\nAllow: /site/\nDisallow: /\n' },
    '/site/': html(`
      <a href="team.html">team</a>
      <a href="private/secret.html">robots says no</a>
      <a href="../admin/">outside the prefix</a>
      <a href="/site/%2e%2e/admin/">encoded dots</a>
      <a href="/sitemates/">lookalike prefix</a>
      <a href="${other.origin}/site/x.html">other port</a>
      <a href="https://example.org/site/">other host</a>
      <a href="login.html">log in</a>
      <a href="members/">members only</a>
      <a href="moved">moved</a>
      <a href="escape">redirects out</a>
      <a href="form.html">a form</a>
      <a href="quiet.html">quiet</a>
      <img src="a.jpg"><img srcset="small.jpg 100w, large.jpg 800w" src="small.jpg">
      <img src="/img/outside.jpg"><img src="private/face.jpg"><img src="${other.origin}/site/o.jpg">`),
    '/site/team.html': html('<a href="/site/">home</a><img src="a.jpg"><img src="b.jpg">'),
    '/site/private/secret.html': html('secret'),
    '/admin/': html('admin'),
    '/sitemates/': html('no'),
    '/site/login.html': html('<form><input type=password></form>'),
    '/site/members/': { status: 401, headers: { 'www-authenticate': 'Basic realm="m"' }, body: 'no' },
    '/site/moved': { status: 301, headers: { location: '/site/moved.html' } },
    '/site/moved.html': html('<img src="c.jpg">'),
    '/site/escape': { status: 302, headers: { location: '/admin/' } },
    '/site/form.html': html('<form action="/site/do"><input type="password" name="p"></form><a href="behind.html">x</a><img src="d.jpg">'),
    '/site/quiet.html': html('<meta name="robots" content="nofollow, noimageindex"><a href="hidden.html">x</a><img src="e.jpg">'),
    '/site/a.jpg': jpeg(10), '/site/b.jpg': jpeg(11), '/site/c.jpg': jpeg(12), '/site/small.jpg': jpeg(13), '/site/large.jpg': jpeg(14),
    '/img/outside.jpg': jpeg(), '/site/private/face.jpg': jpeg(), '/site/d.jpg': jpeg(), '/site/e.jpg': jpeg(),
  });
  const result = await crawl(`${site.origin}/site/`);

  it('requests exactly the in-scope, robots-allowed, non-login URLs', () => {
    assert.deepEqual(pathsOf(site), [
      '/robots.txt', '/site/', '/site/a.jpg', '/site/b.jpg', '/site/c.jpg', '/site/escape', '/site/form.html',
      '/site/large.jpg', '/site/members/', '/site/moved', '/site/moved.html', '/site/quiet.html', '/site/team.html',
    ]);
    assert.deepEqual(other.paths(), [], 'another port of the same host is another origin');
    assert.ok(result.fetcher.calls.every((c) => c.url.startsWith(site.origin)), 'nothing else was even attempted');
  });

  it('yields each image once, with the page it was found on', () => {
    assert.deepEqual(result.images.map((i) => [new URL(i.imageUrl).pathname, new URL(i.pageUrl!).pathname, i.bytes.byteLength]), [
      ['/site/a.jpg', '/site/', 10],
      ['/site/large.jpg', '/site/', 14],
      ['/site/b.jpg', '/site/team.html', 11],
      ['/site/c.jpg', '/site/moved.html', 12],
    ]);
    assert.equal(result.images[0]!.contentType, 'image/jpeg');
  });

  it('sends our user agent, with its contact URL, on every request and no credentials', () => {
    for (const r of site.requests) {
      assert.equal(r.headers['user-agent'], 'likeness/0.1 (+https://likeness.example/crawler)');
      assert.equal(r.headers.authorization, undefined);
      assert.equal(r.headers.cookie, undefined);
    }
  });

  it('asks for the 401 page once and never again, with no credentials', () => {
    assert.equal(site.paths().filter((p) => p === '/site/members/').length, 1);
  });

  it('reports why each URL was left alone', () => {
    const reasons = (reason: string) => result.skips.filter((s) => s.reason === reason).map((s) => new URL(s.url).pathname).sort();
    assert.deepEqual(reasons('robots'), ['/site/private/face.jpg', '/site/private/secret.html']);
    assert.deepEqual(reasons('login'), ['/site/login.html']);
    assert.deepEqual(reasons('unauthorised'), ['/site/members/']);
    assert.deepEqual(reasons('redirect-out-of-scope'), ['/admin/']);
    assert.deepEqual(reasons('password-page'), ['/site/form.html']);
    assert.deepEqual(reasons('noindex'), ['/site/quiet.html']);
    assert.deepEqual(reasons('out-of-scope'),
      ['/admin/', '/img/outside.jpg', '/site/', '/site/o.jpg', '/site/x.html', '/sitemates/'], 'example.org/site/ is out too');
    assert.equal(result.summary.stoppedBy, 'done');
    assert.equal(result.summary.images, 4);
  });
});

describe('collectSite: pace', () => {
  it('keeps the minimum interval between requests to a host', async () => {
    const site = await startRecordingServer({
      '/robots.txt': { body: 'User-agent: *\nAllow: /\n' },
      '/': html('<a href="/1">1</a><img src="/a.jpg"><img src="/b.jpg">'),
      '/1': html('<a href="/2">2</a>'),
      '/2': html('end'),
      '/a.jpg': jpeg(), '/b.jpg': jpeg(),
    });
    const { fetcher } = await crawl(`${site.origin}/`, { minIntervalMs: 120, clock: fakePacingClock() });
    assert.equal(site.requests.length, 6);
    // On the pacing clock, which only the pacer's waits move: each request starts one interval after the one before.
    assert.deepEqual(gapsOf(fetcher.calls), [120, 120, 120, 120, 120]);
  });

  it('slows down further when robots.txt asks for a Crawl-delay', async () => {
    const site = await startRecordingServer({
      '/robots.txt': { body: 'User-agent: likeness\nCrawl-delay: 0.25\nAllow: /\n' },
      '/': html('<a href="/1">1</a>'),
      '/1': html('<a href="/2">2</a>'),
      '/2': html('end'),
    });
    const { fetcher } = await crawl(`${site.origin}/`, { minIntervalMs: 10, clock: fakePacingClock() });
    // From robots.txt on, which states the delay, every request waits for it rather than the 10 ms asked.
    assert.deepEqual(gapsOf(fetcher.calls), [250, 250, 250]);
  });
});

describe('collectSite: budgets and blocks', () => {
  const chain = (n: number, imageSize = 10) => Object.fromEntries([
    ['/robots.txt', { body: '' }],
    ...Array.from({ length: n }, (_, i) => [i === 0 ? '/c/' : `/c/p${i}`, html(`<a href="p${i + 1}">next</a><img src="i${i}.jpg">`)]),
    ...Array.from({ length: n }, (_, i) => [`/c/i${i}.jpg`, jpeg(imageSize)]),
  ]);

  it('stops at the page budget', async () => {
    const site = await startRecordingServer(chain(10));
    const { summary, images } = await crawl(`${site.origin}/c/`, { pageBudget: 3 });
    assert.deepEqual(site.paths(), ['/robots.txt', '/c/', '/c/i0.jpg', '/c/p1', '/c/i1.jpg', '/c/p2', '/c/i2.jpg']);
    assert.equal(summary.stoppedBy, 'page-budget');
    assert.equal(summary.pages, 3);
    assert.equal(images.length, 3);
  });

  it('stops at the byte budget, dropping the image it cut', async () => {
    const site = await startRecordingServer(chain(10, 1000));
    const { summary, images, skips } = await crawl(`${site.origin}/c/`, { byteBudget: 2500 });
    assert.ok(summary.bytes <= 2500, `${summary.bytes} bytes`);
    assert.equal(summary.stoppedBy, 'byte-budget');
    assert.ok(images.length >= 1 && images.length < 3, `${images.length} images`);
    assert.ok(images.every((i) => i.bytes.byteLength === 1000), 'no truncated image is yielded');
    assert.ok(skips.some((s) => s.reason === 'budget'));
    assert.ok(!site.paths().includes('/c/p3'));
  });

  it('skips an image over the size limit without stopping', async () => {
    const site = await startRecordingServer({ '/robots.txt': { body: '' }, '/': html('<img src="/big.jpg"><img src="/ok.jpg">'), '/big.jpg': jpeg(5000), '/ok.jpg': jpeg(10) });
    const { images, skips } = await crawl(`${site.origin}/`, { maxImageBytes: 1000 });
    assert.deepEqual(images.map((i) => new URL(i.imageUrl).pathname), ['/ok.jpg']);
    assert.deepEqual(skips.map((s) => s.reason), ['too-large']);
  });

  it('after a 403 it asks that origin for nothing more', async () => {
    const site = await startRecordingServer({
      '/robots.txt': { body: '' },
      '/': html('<a href="/blocked">b</a><a href="/after">a</a>'),
      '/blocked': { status: 403, body: 'go away' },
      '/after': html('never asked'),
    });
    const { skips } = await crawl(`${site.origin}/`);
    assert.deepEqual(site.paths(), ['/robots.txt', '/', '/blocked']);
    assert.deepEqual(skips.map((s) => s.reason), ['blocked', 'blocked']);
  });

  it('fetches nothing when robots.txt cannot be read (5xx), or refuses us (401/403)', async () => {
    for (const status of [500, 503, 401, 403]) {
      const site = await startRecordingServer({ '/robots.txt': { status, body: '' }, '/': html('<img src="/a.jpg">') });
      const { images } = await crawl(`${site.origin}/`);
      assert.deepEqual(site.paths(), ['/robots.txt'], `robots.txt answered ${status}`);
      assert.equal(images.length, 0);
    }
  });

  it('takes a missing robots.txt (404) as allowing everything', async () => {
    const site = await startRecordingServer({ '/': html('<img src="/a.jpg">'), '/a.jpg': jpeg() });
    const { images } = await crawl(`${site.origin}/`);
    assert.deepEqual(site.paths(), ['/robots.txt', '/', '/a.jpg']);
    assert.equal(images.length, 1);
  });

  it('does not follow links of a page whose X-Robots-Tag says nofollow', async () => {
    const site = await startRecordingServer({
      '/robots.txt': { body: '' },
      '/': { headers: { 'content-type': 'text/html', 'x-robots-tag': 'likeness: nofollow' }, body: '<a href="/x">x</a><img src="/a.jpg">' },
      '/a.jpg': jpeg(),
    });
    const { images } = await crawl(`${site.origin}/`);
    assert.deepEqual(site.paths(), ['/robots.txt', '/', '/a.jpg']);
    assert.equal(images.length, 1);
  });
});
