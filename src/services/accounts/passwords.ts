import { LikenessError } from '../../errors.ts';

// People's passwords (docs/architecture.md, "Authentication"), after OWASP ASVS 2.1: long rather
// than complicated, no composition rules, any printable character, spaces included.
export const MIN_PASSWORD_LENGTH = 12;
/** Bounded so that hashing a presented password costs the same whatever is sent. */
export const MAX_PASSWORD_LENGTH = 256;

/** Refuses a password too short, too long, with control characters, or built on the user's own name. */
export function checkPassword(password: string, userName: string): string {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) invalid(`A password has at least ${MIN_PASSWORD_LENGTH} characters; this one has ${length}`);
  if (length > MAX_PASSWORD_LENGTH) invalid(`A password has at most ${MAX_PASSWORD_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) invalid('A password holds no control characters (a line break may have been read with it)');
  const lower = password.toLowerCase();
  const name = userName.toLowerCase();
  // A short name (ana, bo) is part of many a word: only a name of four letters or more is looked for inside.
  if (lower === name || (name.length >= 4 && lower.includes(name))) invalid('A password must not contain the user\'s name');
  return password.normalize('NFKC');
}

function invalid(message: string): never {
  throw new LikenessError('LIKENESS_ACCOUNT_INVALID', message);
}
