import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntities, extractPageLinks, largestCandidate } from './html-links.ts';

describe('extractPageLinks', () => {
  it('finds links, images, base and robots directives', () => {
    const page = extractPageLinks(`<!doctype html><html><head>
      <base href="/team/">
      <meta name="ROBOTS" content="noarchive, NoFollow">
      </head><body>
      <a href="jane.html">Jane</a> <A HREF='john.html?a=1&amp;b=2'>John</A>
      <a href=bare.html>bare</a>
      <a rel="nofollow ugc" href="spam.html">spam</a>
      <area href="map.html">
      <img src="a.jpg" alt="a > b">
      <img srcset="s.jpg 320w, l.jpg 1280w, m.jpg 640w" src="fallback.jpg">
      <picture><source srcset="p1.webp 1x, p2.webp 2x"><img src="p.jpg"></picture>
      <!-- <a href="commented.html"> <img src="commented.jpg"> -->
      <script>document.write('<a href="scripted.html">')</script>
      </body></html>`, 'likeness');
    assert.deepEqual(page.links, ['jane.html', 'john.html?a=1&b=2', 'bare.html', 'map.html']);
    assert.deepEqual(page.images, ['a.jpg', 'l.jpg', 'p2.webp', 'p.jpg']);
    assert.equal(page.base, '/team/');
    assert.deepEqual(page.robots, ['noarchive', 'nofollow']);
    assert.equal(page.hasPasswordField, false);
  });

  it('notices a password field', () => {
    assert.equal(extractPageLinks('<form><input name=u><INPUT type="Password" name=p></form>', 'x').hasPasswordField, true);
  });

  it('reads a meta tag addressed to our token', () => {
    assert.deepEqual(extractPageLinks('<meta name="likeness" content="noimageindex">', 'likeness').robots, ['noimageindex']);
    assert.deepEqual(extractPageLinks('<meta name="otherbot" content="noindex">', 'likeness').robots, []);
  });
});

describe('largestCandidate', () => {
  it('prefers the widest w descriptor', () => {
    assert.equal(largestCandidate('a.jpg 100w,b.jpg 900w,c.jpg 300w'), 'b.jpg');
  });
  it('prefers the highest density, a bare URL being 1x', () => {
    assert.equal(largestCandidate('a.jpg, b.jpg 3x, c.jpg 2x'), 'b.jpg');
  });
  it('keeps commas inside URLs', () => {
    assert.equal(largestCandidate('/img/a,b.jpg 1x, /img/c,d.jpg 2x'), '/img/c,d.jpg');
  });
  it('has nothing to say about an empty srcset', () => {
    assert.equal(largestCandidate(''), undefined);
    assert.equal(largestCandidate(undefined), undefined);
  });
});

describe('decodeEntities', () => {
  it('decodes the entities URLs carry', () => {
    assert.equal(decodeEntities('a?x=1&amp;y=2&#38;z=&#x33;&unknown;'), 'a?x=1&y=2&z=3&unknown;');
  });
});
