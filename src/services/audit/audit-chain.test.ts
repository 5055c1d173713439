import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry } from '../../domain/accounts.ts';
import { chain, checkLink, GENESIS_HASH } from './audit-chain.ts';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined }), '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
  });
  it('refuses numbers JSON cannot carry', () => {
    assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
  });
});

describe('audit chain', () => {
  const fields = (action: string) => ({ at: '2026-01-01T00:00:00.000Z', actor: 'u', client: null, action, target: null, details: { n: 1 } });
  const build = (n: number): AuditEntry[] => {
    const out: AuditEntry[] = [];
    for (let i = 0; i < n; i++) out.push(chain(out.at(-1), fields(`a${i}`)));
    return out;
  };

  it('starts from the genesis hash and links each entry to the one before', () => {
    const [first, second] = build(2);
    assert.equal(first!.prevHash, GENESIS_HASH);
    assert.equal(first!.seq, 1);
    assert.equal(second!.prevHash, first!.hash);
    assert.equal(checkLink(undefined, first!), undefined);
    assert.equal(checkLink(first, second!), undefined);
  });

  it('names an altered entry, a missing one, and a relinked one', () => {
    const [a, b, c] = build(3);
    assert.match(checkLink(a, { ...b!, details: { n: 2 } })!.reason, /altered/);
    assert.match(checkLink(a, c!)!.reason, /missing/);
    assert.match(checkLink(a, { ...b!, prevHash: GENESIS_HASH })!.reason, /previous hash/);
  });

  it('does not depend on the order the details were built in', () => {
    const x = chain(undefined, { ...fields('x'), details: { a: 1, b: 2 } });
    const y = chain(undefined, { ...fields('x'), details: { b: 2, a: 1 } });
    assert.equal(x.hash, y.hash);
  });
});
