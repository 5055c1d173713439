import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import { base32Encode } from './totp.ts';

// Single-use codes that stand in for the authenticator app when it is lost (docs/architecture.md,
// "Authentication"). Each carries 120 random bits, so a SHA-256 of it, salted by the user's id,
// is enough to keep it (OWASP ASVS 2.6.2); scrypt is kept for passwords, which people choose.
export const RECOVERY_CODE_COUNT = 10;
const GROUPS = 4;
const GROUP_LENGTH = 6;

/** Fresh codes, shown once as `ABCDEF-GHIJKL-MNOPQR-STUVWX`. */
export function newRecoveryCodes(random: RandomBytes): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = base32Encode(random.bytes(15)).slice(0, GROUPS * GROUP_LENGTH);
    return text.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');
  });
}

/** Whether a presented code is shaped like a recovery code (dashes, spaces and case aside). */
export function looksLikeRecoveryCode(presented: string): boolean {
  return new RegExp(`^[A-Z2-7]{${GROUPS * GROUP_LENGTH}}$`).test(normalise(presented));
}

/** What is stored of a code: its SHA-256 with the user's id, hex. */
export function recoveryCodeHash(userId: string, code: string): string {
  return createHash('sha256').update(`likeness-recovery\0${userId}\0${normalise(code)}`).digest('hex');
}

/** The stored hash a presented code matches, if any, compared in constant time. */
export function matchRecoveryCode(userId: string, presented: string, stored: readonly string[]): string | undefined {
  const hash = Buffer.from(recoveryCodeHash(userId, presented), 'hex');
  let found: string | undefined;
  for (const candidate of stored) {
    const other = Buffer.from(candidate, 'hex');
    if (other.length === hash.length && timingSafeEqual(other, hash) && found === undefined) found = candidate;
  }
  return found;
}

function normalise(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}
