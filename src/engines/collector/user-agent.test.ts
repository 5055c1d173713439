import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIdentity, identity } from './user-agent.ts';

describe('collector identity', () => {
  it('builds a user agent with product, version and contact URL', () => {
    assert.deepEqual(identity('https://example.org/crawler', { version: '1.2' }),
      { userAgent: 'likeness/1.2 (+https://example.org/crawler)', robotsToken: 'likeness' });
  });

  it('refuses a user agent without a contact URL or product token', () => {
    assert.throws(() => checkIdentity('Mozilla/5.0'), { code: 'LIKENESS_CONFIG_INVALID', message: /contact URL/ });
    assert.throws(() => checkIdentity('(+https://example.org)'), { code: 'LIKENESS_CONFIG_INVALID' });
    assert.throws(() => identity('mailto:me@example.org'), { code: 'LIKENESS_CONFIG_INVALID' });
  });

  it('takes the robots.txt token from the product name', () => {
    assert.equal(checkIdentity('Acme-Faces/3 (+http://acme.example/bot)').robotsToken, 'acme-faces');
  });
});
