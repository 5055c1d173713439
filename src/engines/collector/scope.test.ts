import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeLogin } from './login.ts';
import { inScope, parseScope, resolveLink } from './scope.ts';

describe('inScope', () => {
  const scope = parseScope('http://127.0.0.1:8080/team/');
  const page = new URL('http://127.0.0.1:8080/team/index.html');
  const cases: Array<[string, boolean]> = [
    ['jane.html', true],
    ['/team/sub/x.jpg', true],
    ['/team/', true],
    ['/team', false],
    ['/teammates/', false],
    ['/admin/', false],
    ['../admin/', false],
    ['/team/../admin/', false],
    ['/team/%2e%2e/admin/', false],
    ['/team/.%2E/admin/', false],
    ['/team/..%2fadmin/', false],
    ['/team/%2fadmin', false],
    ['/team/x\\..\\..\\admin', false],
    ['http://127.0.0.1:8081/team/', false],
    ['https://127.0.0.1:8080/team/', false],
    ['http://localhost:8080/team/', false],
    ['http://user:pw@127.0.0.1:8080/team/', false],
    ['//127.0.0.1:8080/team/a', true],
    ['//example.org/team/a', false],
  ];
  for (const [href, expected] of cases) {
    it(`${expected ? 'takes' : 'refuses'} ${href}`, () => {
      const url = resolveLink(href, page);
      assert.equal(url !== undefined && inScope(scope, url), expected);
    });
  }

  it('a prefix without a trailing slash matches whole segments', () => {
    const s = parseScope('https://example.org/team');
    assert.ok(inScope(s, new URL('https://example.org/team')));
    assert.ok(inScope(s, new URL('https://example.org/team/a')));
    assert.ok(!inScope(s, new URL('https://example.org/teammates')));
  });

  it('refuses a scope that is not an http(s) URL or carries credentials', () => {
    assert.throws(() => parseScope('ftp://example.org/'), { code: 'LIKENESS_SOURCE_INVALID' });
    assert.throws(() => parseScope('example.org/team'), { code: 'LIKENESS_SOURCE_INVALID' });
    assert.throws(() => parseScope('https://a:b@example.org/'), { code: 'LIKENESS_SOURCE_INVALID', message: /never logs in/ });
  });

  it('ignores links that are not http(s) and drops fragments', () => {
    assert.equal(resolveLink('mailto:a@b.c', page), undefined);
    assert.equal(resolveLink('javascript:alert(1)', page), undefined);
    assert.equal(resolveLink('jane.html#bio', page)?.href, 'http://127.0.0.1:8080/team/jane.html');
  });
});

describe('looksLikeLogin', () => {
  const login = ['/login', '/team/sign-in.html', '/wp-login.php', '/account/settings', '/auth/callback', '/x?next=/login',
    '/users/sign_in', '/oauth2/authorize', '/Login.aspx'];
  const not = ['/team/jane.html', '/blog/logistics', '/team/signing-day.jpg', '/authors/jane', '/sessions-of-parliament'];
  for (const path of login) it(`takes ${path} for a login`, () => assert.ok(looksLikeLogin(new URL(path, 'http://h/'))));
  for (const path of not) it(`does not take ${path} for a login`, () => assert.ok(!looksLikeLogin(new URL(path, 'http://h/'))));
});
