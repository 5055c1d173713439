import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import { denialError, enforce } from './decision.ts';
import { defaultPolicy } from './policy.ts';
import { PolicyService } from './policy-service.ts';

function service(iso: string): { policy: PolicyService; clock: { at: Date } & Clock } {
  const clock = { at: new Date(iso), now() { return this.at; } };
  const p = defaultPolicy();
  p.clients.bans = [{ id: 'no-illinois-clients', jurisdiction: 'US-IL', until: new Date('2027-05-09T00:00:00Z') }];
  return { policy: new PolicyService(p, clock), clock };
}

const client = { id: 'c1', type: 'law-enforcement', jurisdiction: 'US-IL' };

describe('PolicyService', () => {
  it('decides at the clock\'s time unless told another', () => {
    const { policy, clock } = service('2027-05-08T23:59:00Z');
    assert.equal(policy.decideClient(client).outcome, 'deny');
    clock.at = new Date('2027-05-09T00:00:00Z');
    assert.equal(policy.decideClient(client).outcome, 'allow');
    assert.equal(policy.decideClient(client, new Date('2026-01-01T00:00:00Z')).outcome, 'deny');
  });

  it('passes the clock to search decisions too', () => {
    const { policy } = service('2026-01-01T00:00:00Z');
    const d = policy.decideSearch({ client, roles: ['investigator'], purpose: 'p', caseNumber: '1', galleries: [{ id: 'g', name: 'default' }] });
    assert.equal(d.outcome === 'deny' && d.ruleId, 'no-illinois-clients');
  });

  it('exposes the defaults the lead needs at the edges', () => {
    const { policy } = service('2026-01-01T00:00:00Z');
    assert.equal(policy.keepProbes, false);
    assert.equal(policy.maxRetentionDays, 1095);
    assert.equal(policy.needsAgeEstimate, true);
  });
});

describe('denials as errors', () => {
  it('enforce throws LIKENESS_POLICY_DENIED (403) with the rule id in details', () => {
    const { policy } = service('2026-01-01T00:00:00Z');
    assert.throws(() => enforce(policy.decideClient(client)), (error) => {
      assert.ok(isLikenessError(error, 'LIKENESS_POLICY_DENIED'));
      assert.equal(error.status, 403);
      assert.deepEqual(error.details, { ruleId: 'no-illinois-clients' });
      assert.equal(error.message, 'denied by rule `no-illinois-clients`: client jurisdiction US-IL is excluded until 2027-05-09');
      return true;
    });
  });

  it('enforce returns on allow', () => {
    assert.doesNotThrow(() => enforce({ outcome: 'allow' }));
  });

  it('a rate limit becomes LIKENESS_RATE_LIMITED (429)', () => {
    const error = denialError({ outcome: 'deny', ruleId: 'user-rate-limit', reason: 'x' });
    assert.equal(error.code, 'LIKENESS_RATE_LIMITED');
    assert.equal(error.status, 429);
  });
});
