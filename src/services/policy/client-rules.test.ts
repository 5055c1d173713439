import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { banInForce, decideClient, type ClientFacts } from './client-rules.ts';
import { defaultPolicy, type Policy } from './policy.ts';

const illinois: ClientFacts = { id: 'c1', name: 'chicago-pd', type: 'law-enforcement', jurisdiction: 'US-IL' };

function policy(change: (p: Policy['clients']) => void): Policy {
  const p = defaultPolicy();
  change(p.clients);
  return p;
}

const at = (iso: string) => new Date(iso);
const banned = policy((c) => { c.bans = [{ id: 'no-illinois-clients', jurisdiction: 'US-IL', until: at('2027-05-09T00:00:00Z') }]; });

describe('decideClient', () => {
  it('allows any client under the defaults', () => {
    assert.deepEqual(decideClient(defaultPolicy(), illinois, at('2026-01-01T00:00:00Z')), { outcome: 'allow' });
  });

  it('refuses a denied client type', () => {
    const d = decideClient(policy((c) => { c.deniedTypes = ['private']; }), { ...illinois, type: 'private' }, at('2026-01-01T00:00:00Z'));
    assert.deepEqual(d, {
      outcome: 'deny', ruleId: 'client-type-denied', reason: 'denied by rule `client-type-denied`: clients of type "private" are refused',
    });
  });

  it('refuses a type outside allowedTypes when that list is set', () => {
    const p = policy((c) => { c.allowedTypes = ['law-enforcement']; });
    const d = decideClient(p, { ...illinois, type: 'ngo' }, at('2026-01-01T00:00:00Z'));
    assert.equal(d.outcome === 'deny' && d.ruleId, 'client-type-not-allowed');
    assert.equal(decideClient(p, illinois, at('2026-01-01T00:00:00Z')).outcome, 'allow');
  });

  it('refuses a banned jurisdiction with the ban id and its end date', () => {
    assert.deepEqual(decideClient(banned, illinois, at('2026-06-01T12:00:00Z')), {
      outcome: 'deny',
      ruleId: 'no-illinois-clients',
      reason: 'denied by rule `no-illinois-clients`: client jurisdiction US-IL is excluded until 2027-05-09',
    });
  });

  it('a ban until 2027-05-09 still refuses at 2027-05-08T23:59:59.999Z', () => {
    assert.equal(decideClient(banned, illinois, at('2027-05-08T23:59:00Z')).outcome, 'deny');
    assert.equal(decideClient(banned, illinois, at('2027-05-08T23:59:59.999Z')).outcome, 'deny');
  });

  it('a ban until 2027-05-09 ends at 2027-05-09T00:00Z: until is exclusive', () => {
    assert.equal(decideClient(banned, illinois, at('2027-05-09T00:00:00Z')).outcome, 'allow');
    assert.equal(decideClient(banned, illinois, at('2027-05-09T12:00:00Z')).outcome, 'allow');
  });

  it('a ban with from starts at 00:00Z of that date: from is inclusive', () => {
    const p = policy((c) => {
      c.bans = [{ id: 'gb-2026', jurisdiction: 'GB', from: at('2026-01-01T00:00:00Z'), until: at('2027-01-01T00:00:00Z') }];
    });
    const london: ClientFacts = { id: 'c2', type: 'government', jurisdiction: 'GB' };
    assert.equal(decideClient(p, london, at('2025-12-31T23:59:59.999Z')).outcome, 'allow');
    const d = decideClient(p, london, at('2026-01-01T00:00:00Z'));
    assert.equal(d.outcome === 'deny' && d.reason, 'denied by rule `gb-2026`: client jurisdiction GB is excluded from 2026-01-01 until 2027-01-01');
    assert.equal(decideClient(p, london, at('2027-01-01T00:00:00Z')).outcome, 'allow');
  });

  it('a ban on a subdivision leaves the country and other subdivisions alone', () => {
    const t = at('2026-06-01T00:00:00Z');
    assert.equal(decideClient(banned, { ...illinois, jurisdiction: 'US' }, t).outcome, 'allow');
    assert.equal(decideClient(banned, { ...illinois, jurisdiction: 'US-CA' }, t).outcome, 'allow');
  });

  it('a ban on a country reaches its subdivisions', () => {
    const p = policy((c) => { c.bans = [{ id: 'no-us-clients', jurisdiction: 'US' }]; });
    const d = decideClient(p, illinois, at('2030-01-01T00:00:00Z'));
    assert.equal(d.outcome === 'deny' && d.reason, 'denied by rule `no-us-clients`: client jurisdiction US-IL (within US) is excluded');
  });

  it('checks bans in order and reports the first that applies', () => {
    const p = policy((c) => {
      c.bans = [
        { id: 'expired', jurisdiction: 'US', until: at('2020-01-01T00:00:00Z') },
        { id: 'current', jurisdiction: 'US-IL', until: at('2030-01-01T00:00:00Z') },
      ];
    });
    const d = decideClient(p, illinois, at('2026-01-01T00:00:00Z'));
    assert.equal(d.outcome === 'deny' && d.ruleId, 'current');
  });

  it('compares jurisdictions without regard to case', () => {
    const d = decideClient(banned, { ...illinois, jurisdiction: 'us-il' }, at('2026-01-01T00:00:00Z'));
    assert.equal(d.outcome, 'deny');
  });
});

describe('banInForce', () => {
  it('is always in force without from or until', () => {
    assert.ok(banInForce({ id: 'x', jurisdiction: 'FR' }, at('1970-01-01T00:00:00Z')));
  });
});
