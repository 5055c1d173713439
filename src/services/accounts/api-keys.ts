import { createHash, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RandomBytes } from '../../ports/random-bytes.ts';

// Keys look like lk_<prefix>_<secret>. The prefix is public: it finds the record and names the
// key in logs, audit entries and `likeness key revoke`. Only a hash of the secret is stored: a
// salted SHA-256, since the secret is 256 random bits that no slow hash would make harder to guess
// (OWASP ASVS 2.6.2, as for recovery codes), where scrypt would cost every new key and every
// process's first use of it tens of milliseconds. Passwords, which people choose, keep scrypt;
// keys issued when keys were scrypt-hashed still verify.
const KEY = /^lk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** scrypt cost: about 30 ms on one core. */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export interface IssuedKey {
  prefix: string;
  /** The whole key, shown once to its owner and never stored. */
  key: string;
  hash: string;
}

export async function issueKey(random: RandomBytes): Promise<IssuedKey> {
  const prefix = random.bytes(6).toString('hex');
  const secret = random.bytes(32).toString('base64url');
  return { prefix, key: `lk_${prefix}_${secret}`, hash: keyHash(secret, random.bytes(16)) };
}

/** `sha256$salt$hash` of a key's secret, hex. */
function keyHash(secret: string, salt: Buffer): string {
  return `sha256$${salt.toString('hex')}$${keyDigest(secret, salt).toString('hex')}`;
}

function keyDigest(secret: string, salt: Buffer): Buffer {
  return createHash('sha256').update(salt).update(secret).digest();
}

/** Whether a key's secret matches its stored hash (a salted SHA-256, or scrypt for older keys), in constant time. */
export async function keySecretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'sha256') return secretMatches(secret, stored);
  if (!saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = keyDigest(secret, Buffer.from(saltHex, 'hex'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** `scrypt$N$r$p$salt$hash` of a person's password, with a fresh salt. */
export async function hashSecret(secret: string, random: RandomBytes): Promise<string> {
  const salt = random.bytes(16);
  const hash = await derive(secret, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** Splits a presented key; undefined when it is not shaped like one of ours. */
export function parseKey(presented: string): { prefix: string; secret: string } | undefined {
  const m = KEY.exec(presented);
  return m ? { prefix: m[1]!, secret: m[2]! } : undefined;
}

/** Whether a password matches its stored scrypt hash, in constant time. */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await derive(secret, Buffer.from(saltHex, 'hex'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(secret: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
