import { randomBytes } from 'node:crypto';

/** Where secrets (API keys, salts) get their randomness; a fixed source makes tests repeatable. */
export interface RandomBytes {
  bytes(n: number): Buffer;
}

export const systemRandom: RandomBytes = { bytes: (n) => randomBytes(n) };
