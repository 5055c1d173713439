import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RandomBytes } from '../../ports/random-bytes.ts';

// Keys look like lk_<prefix>_<secret>. The prefix is public: it finds the record and names the
// key in logs, audit entries and `likeness key revoke`. Only the secret's scrypt hash is stored.
const KEY = /^lk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** scrypt cost: about 30 ms on one core; verified keys are cached, so this is paid once per key per process. */
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
  return { prefix, key: `lk_${prefix}_${secret}`, hash: await hashSecret(secret, random) };
}

/** `scrypt$N$r$p$salt$hash` of a secret (a key's, or a person's password), with a fresh salt. */
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
