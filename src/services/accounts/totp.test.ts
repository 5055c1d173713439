import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpAt, totpStep } from './totp.ts';

// RFC 6238, Appendix B: the SHA-1 rows, 8 digits, secret "12345678901234567890" (ASCII).
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: Array<[seconds: number, step: number, code: string]> = [
  [59, 0x1, '94287082'],
  [1111111109, 0x23523ec, '07081804'],
  [1111111111, 0x23523ed, '14050471'],
  [1234567890, 0x273ef07, '89005924'],
  [2000000000, 0x3f940aa, '69279037'],
  [20000000000, 0x27bc86aa, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  for (const [seconds, step, code] of RFC_VECTORS) {
    it(`gives the RFC's SHA-1 code ${code} at ${seconds} s (step ${step.toString(16)})`, () => {
      assert.equal(totpStep(seconds * 1000), step);
      assert.equal(totpAt(RFC_SECRET, seconds * 1000, 8), code);
      assert.equal(totpAt(RFC_SECRET, seconds * 1000), code.slice(-6), 'six digits are the same truncation, modulo 10^6');
    });
  }

  it('gives RFC 4226 Appendix D\'s HOTP values for the first counters', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    assert.deepEqual(expected.map((_, counter) => hotp(RFC_SECRET, counter)), expected);
  });

  it('accepts the current step and one either side, nothing further', () => {
    const at = 1111111111_000;
    const step = totpStep(at);
    for (const offset of [-1, 0, 1]) assert.equal(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + offset), at, null), step + offset);
    for (const offset of [-2, 2]) assert.equal(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + offset), at, null), undefined);
  });

  it('refuses a code of a step already used, and any earlier one (replay)', () => {
    const at = 1234567890_000;
    const step = totpStep(at);
    const code = hotp(RFC_SECRET, step);
    assert.equal(matchTotp(RFC_SECRET, code, at, step - 1), step);
    assert.equal(matchTotp(RFC_SECRET, code, at, step), undefined, 'the same code again');
    assert.equal(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), at, step), undefined, 'the previous step, after this one was used');
    assert.equal(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), at, step), step + 1, 'the next step is still good');
  });

  it('refuses what is not six digits', () => {
    const at = 59_000;
    for (const code of ['', '28708', '2870820', '28708a', ' 287082']) assert.equal(matchTotp(RFC_SECRET, code, at, null), undefined, code);
  });

  it('writes and reads base32 as RFC 4648 does, and a URI authenticator apps take', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Decode('MZXW6YTBOI').toString(), 'foobar');
    assert.equal(base32Decode(base32Encode(RFC_SECRET)).toString('ascii'), '12345678901234567890');
    assert.equal(otpauthUri('likeness', 'ivan', 'MZXW6YTBOI'),
      'otpauth://totp/likeness:ivan?secret=MZXW6YTBOI&issuer=likeness&algorithm=SHA1&digits=6&period=30');
  });
});
