import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemRandom } from '../../ports/random-bytes.ts';
import { hashSecret, issueKey, keySecretMatches, parseKey } from './api-keys.ts';

describe('API key hashes', () => {
  it('a key issued now verifies, and no other secret does', async () => {
    const issued = await issueKey(systemRandom);
    const { secret } = parseKey(issued.key)!;
    assert.match(issued.hash, /^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    assert.ok(!issued.hash.includes(secret));
    assert.equal(await keySecretMatches(secret, issued.hash), true);
    assert.equal(await keySecretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, issued.hash), false);
    const other = parseKey((await issueKey(systemRandom)).key)!.secret;
    assert.equal(await keySecretMatches(other, issued.hash), false);
  });

  it('two keys never share a hash, even with one secret: each has its own salt', async () => {
    const a = await issueKey(systemRandom);
    const b = await issueKey({ bytes: (n) => (n === 32 ? Buffer.from(parseKey(a.key)!.secret, 'base64url') : systemRandom.bytes(n)) });
    assert.equal(parseKey(a.key)!.secret, parseKey(b.key)!.secret);
    assert.notEqual(a.hash, b.hash);
  });

  it('a key stored with scrypt, as keys were issued before, still verifies', async () => {
    const secret = parseKey((await issueKey(systemRandom)).key)!.secret;
    const stored = await hashSecret(secret, systemRandom);
    assert.match(stored, /^scrypt\$/);
    assert.equal(await keySecretMatches(secret, stored), true);
    // Another first character: a secret that begins with x would otherwise be tested against itself.
    assert.equal(await keySecretMatches(`${secret.startsWith('x') ? 'y' : 'x'}${secret.slice(1)}`, stored), false);
  });

  it('a stored hash that is cut short or of an unknown kind matches nothing', async () => {
    const issued = await issueKey(systemRandom);
    const { secret } = parseKey(issued.key)!;
    for (const stored of [issued.hash.slice(0, -2), 'sha256$', 'md5$00$00', '']) {
      assert.equal(await keySecretMatches(secret, stored), false, stored);
    }
  });
});
