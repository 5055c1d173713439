import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from '../../ports/random-bytes.ts';

// A session cookie is an opaque random token (256 bits). The store keeps only its SHA-256, so a
// copy of the store opens no session. The CSRF token is an HMAC of the cookie's token: bound to
// the session, renewed with it, and never stored. docs/architecture.md, "Authentication".
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(random: RandomBytes): string {
  return random.bytes(32).toString('base64url');
}

/** Undefined when the presented value is not shaped like one of our tokens. */
export function sessionIdOf(token: string): string | undefined {
  return TOKEN.test(token) ? createHash('sha256').update(token).digest('hex') : undefined;
}

export function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('likeness-csrf').digest('base64url');
}

export function csrfMatches(token: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenOf(token));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
