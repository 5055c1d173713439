import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jpeg, startRecordingServer } from '../../../test/helpers/recording-server.ts';
import type { CollectedImage, CollectionSummary } from '../../ports/collected-image.ts';
import { fakePacingClock } from './fake-pacing-clock.ts';
import type { SkipEvent } from './polite-client.ts';
import { loopbackFetcher } from './test-fetcher.ts';
import { collectUrlList, parseUrlList, type UrlListOptions } from './url-list.ts';
import { identity } from './user-agent.ts';

describe('parseUrlList', () => {
  it('reads whitespace-separated lines, comments and blank lines', () => {
    const entries = parseUrlList('# press photos\nhttps://a.example/1.jpg https://a.example/story\n\n  https://a.example/2.jpg\t https://a.example/p2#top \nhttps://a.example/3.jpg\n');
    assert.deepEqual(entries.map((e) => [e.imageUrl.href, e.pageUrl?.href ?? null, e.line]), [
      ['https://a.example/1.jpg', 'https://a.example/story', 2],
      ['https://a.example/2.jpg', 'https://a.example/p2', 4],
      ['https://a.example/3.jpg', null, 5],
    ]);
  });

  it('reads CSV with a header row and quoted fields', () => {
    const entries = parseUrlList('imageUrl,pageUrl\r\n"https://a.example/x,1.jpg","https://a.example/p?a=1"\r\nhttps://a.example/2.jpg,\r\n');
    assert.deepEqual(entries.map((e) => [e.imageUrl.href, e.pageUrl?.href ?? null]), [
      ['https://a.example/x,1.jpg', 'https://a.example/p?a=1'],
      ['https://a.example/2.jpg', null],
    ]);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['a relative URL', 'images/1.jpg https://a.example/\n', /line 1 image URL "images\/1\.jpg" is not a URL/],
    ['a file URL', 'https://a.example/1.jpg\nfile:///etc/passwd\n', /line 2 image URL "file:\/\/\/etc\/passwd" is not an http\(s\) URL/],
    ['credentials', 'https://u:p@a.example/1.jpg\n', /line 1 .* carries credentials/],
    ['a bad page URL', 'https://a.example/1.jpg nowhere\n', /line 1 page URL "nowhere"/],
    ['three fields', 'https://a.example/1.jpg https://a.example/ extra\n', /line 1 has 3 fields/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what}, naming the line`, () => {
      assert.throws(() => parseUrlList(text), { code: 'LIKENESS_BAD_INPUT', message });
    });
  }
});

async function run(text: string, options: Partial<UrlListOptions> = {}) {
  const fetcher = loopbackFetcher(options.clock?.now);
  const skips: SkipEvent[] = [];
  const images: CollectedImage[] = [];
  const gen = collectUrlList(parseUrlList(text), {
    identity: identity('https://likeness.example/crawler'), minIntervalMs: 5, byteBudget: 1_000_000, fetcher,
    onSkip: (e) => skips.push(e), ...options,
  });
  let next = await gen.next();
  while (!next.done) {
    images.push(next.value);
    next = await gen.next();
  }
  return { images, skips, fetcher, summary: next.value as CollectionSummary };
}

describe('collectUrlList', () => {
  it('fetches the listed images politely and pairs them with their pages', async () => {
    const s = await startRecordingServer({
      '/robots.txt': { body: 'User-agent: likeness\nDisallow: /private/\n' },
      '/a.jpg': jpeg(10), '/b.jpg': jpeg(20), '/private/c.jpg': jpeg(),
      '/login/d.jpg': jpeg(), '/moved.jpg': { status: 302, headers: { location: '/b2.jpg' } }, '/b2.jpg': jpeg(21),
      '/away.jpg': { status: 302, headers: { location: 'http://127.0.0.2:1/x.jpg' } },
      '/page.html': { headers: { 'content-type': 'text/html' }, body: '<p>not an image</p>' },
    });
    const o = s.origin;
    const { images, skips, summary, fetcher } = await run([
      `${o}/a.jpg ${o}/story-a`, `${o}/b.jpg`, `${o}/private/c.jpg ${o}/p`, `${o}/login/d.jpg`, `${o}/moved.jpg ${o}/m`,
      `${o}/away.jpg`, `${o}/page.html`, `${o}/a.jpg ${o}/again`, `${o}/missing.jpg`,
    ].join('\n'), { minIntervalMs: 60, clock: fakePacingClock() });
    assert.deepEqual(images.map((i) => [new URL(i.imageUrl).pathname, i.pageUrl && new URL(i.pageUrl).pathname, i.bytes.byteLength]), [
      ['/a.jpg', '/story-a', 10], ['/b.jpg', null, 20], ['/b2.jpg', '/m', 21],
    ]);
    assert.deepEqual(s.paths(), ['/robots.txt', '/a.jpg', '/b.jpg', '/moved.jpg', '/b2.jpg', '/away.jpg', '/page.html', '/missing.jpg']);
    assert.deepEqual(skips.map((k) => k.reason), ['robots', 'login', 'redirect-out-of-scope', 'not-image', 'http-status']);
    assert.ok(s.requests.every((r) => r.headers['user-agent'] === 'likeness/0.1 (+https://likeness.example/crawler)'));
    // On the pacing clock, which only the pacer's waits move: each request starts one interval after the one before.
    const starts = fetcher.calls.map((c) => c.at);
    assert.deepEqual(starts.slice(1).map((t, i) => t - starts[i]!), Array.from({ length: starts.length - 1 }, () => 60));
    assert.equal(summary.images, 3);
    assert.equal(summary.stoppedBy, 'done');
  });

  it('asks robots.txt of each origin once, and keeps each host to its own pace', async () => {
    const one = await startRecordingServer({ '/robots.txt': { body: '' }, '/1.jpg': jpeg(), '/2.jpg': jpeg() });
    const two = await startRecordingServer({ '/robots.txt': { body: 'User-agent: *\nDisallow: /\n' }, '/1.jpg': jpeg() });
    const { images } = await run(`${one.origin}/1.jpg\n${two.origin}/1.jpg\n${one.origin}/2.jpg\n`);
    assert.deepEqual(one.paths(), ['/robots.txt', '/1.jpg', '/2.jpg']);
    assert.deepEqual(two.paths(), ['/robots.txt']);
    assert.equal(images.length, 2);
  });

  it('stops at the byte budget and at the image budget', async () => {
    const s = await startRecordingServer({ '/robots.txt': { body: '' }, '/1.jpg': jpeg(400), '/2.jpg': jpeg(400), '/3.jpg': jpeg(400) });
    const list = `${s.origin}/1.jpg\n${s.origin}/2.jpg\n${s.origin}/3.jpg\n`;
    const byBytes = await run(list, { byteBudget: 600 });
    assert.equal(byBytes.images.length, 1);
    assert.equal(byBytes.summary.stoppedBy, 'byte-budget');
    const byCount = await run(list, { imageBudget: 2 });
    assert.equal(byCount.images.length, 2);
    assert.equal(byCount.summary.stoppedBy, 'image-budget');
  });

  it('never follows a 401 with credentials, and stops at a 429', async () => {
    const s = await startRecordingServer({
      '/robots.txt': { body: '' }, '/1.jpg': { status: 401, headers: { 'www-authenticate': 'Basic' } },
      '/2.jpg': { status: 429, headers: { 'retry-after': '60' } }, '/3.jpg': jpeg(),
    });
    const { skips } = await run(`${s.origin}/1.jpg\n${s.origin}/2.jpg\n${s.origin}/3.jpg\n`);
    assert.deepEqual(s.paths(), ['/robots.txt', '/1.jpg', '/2.jpg']);
    assert.deepEqual(skips.map((k) => k.reason), ['unauthorised', 'blocked', 'blocked']);
    assert.ok(s.requests.every((r) => r.headers.authorization === undefined));
  });
});

describe('collectUrlList against robots.txt groups (RFC 9309 2.2.4)', () => {
  // Crawl-delay: 10 must be obeyed without the test waiting for it: time is virtual here.
  const virtualClock = () => {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => { now += ms; } };
  };
  const variants: Array<[string, string]> = [
    ['a Crawl-delay line', 'User-agent: likeness\nCrawl-delay: 10\nUser-agent: *\nDisallow: /private/\n'],
    ['a Crawl-delay and a Sitemap line', 'User-agent: likeness\nCrawl-delay: 10\nSitemap: /sitemap.xml\nUser-agent: *\nDisallow: /private/\n'],
    ['a Sitemap line', 'User-agent: likeness\nSitemap: /sitemap.xml\nUser-agent: *\nDisallow: /private/\n'],
  ];
  for (const [what, robots] of variants) {
    it(`requests no disallowed image when ${what} sits between two User-agent lines`, async () => {
      const s = await startRecordingServer({
        '/robots.txt': { body: robots }, '/public/a.jpg': jpeg(10), '/private/b.jpg': jpeg(), '/private/c.jpg': jpeg(),
      });
      const { images, skips } = await run(`${s.origin}/private/b.jpg\n${s.origin}/public/a.jpg\n${s.origin}/private/c.jpg\n`, { clock: virtualClock() });
      assert.deepEqual(s.paths(), ['/robots.txt', '/public/a.jpg']);
      assert.deepEqual(images.map((i) => new URL(i.imageUrl).pathname), ['/public/a.jpg']);
      assert.deepEqual(skips.map((k) => k.reason), ['robots', 'robots']);
    });
  }
});
