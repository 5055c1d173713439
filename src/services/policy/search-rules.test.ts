import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientFacts } from './client-rules.ts';
import { defaultPolicy, type Policy } from './policy.ts';
import { decideSearch, grantedGalleries, searchLimits, type SearchCounts, type SearchFacts } from './search-rules.ts';

const client: ClientFacts = { id: 'c-uuid-1', name: 'acme-police', type: 'law-enforcement', jurisdiction: 'DE' };
const press = { id: 'g-press', name: 'press-archive' };
const missing = { id: 'g-missing', name: 'missing-persons' };
const none: SearchCounts = { lastMinute: 0, lastHour: 0, today: 0 };
const now = new Date('2026-03-01T10:00:00Z');

function policy(change: (p: Policy) => void = () => {}): Policy {
  const p = defaultPolicy();
  p.clients.galleries = { 'acme-police': ['press-archive'], '*': ['missing-persons'] };
  change(p);
  return p;
}

const search: SearchFacts = {
  client, roles: ['investigator'], purpose: 'criminal-investigation', caseNumber: '2026/0042', galleries: [press],
};

function ruleOf(p: Policy, facts: Partial<SearchFacts>): string | undefined {
  const d = decideSearch(p, { ...search, ...facts }, now);
  return d.outcome === 'deny' ? d.ruleId : undefined;
}

describe('decideSearch', () => {
  it('allows an investigator of a granted client with case number and purpose', () => {
    assert.deepEqual(decideSearch(policy(), search, now), { outcome: 'allow' });
  });

  it('applies the client rules first', () => {
    const p = policy((x) => { x.clients.bans = [{ id: 'no-german-clients', jurisdiction: 'DE' }]; });
    assert.equal(ruleOf(p, {}), 'no-german-clients');
  });

  it('needs a searching role', () => {
    assert.equal(ruleOf(policy(), { roles: ['auditor'] }), 'role-not-permitted');
    assert.equal(ruleOf(policy(), { roles: [] }), 'role-not-permitted');
    assert.equal(ruleOf(policy(), { roles: ['auditor', 'investigator'] }), undefined);
  });

  it('needs a case number unless the policy waives it', () => {
    assert.equal(ruleOf(policy(), { caseNumber: '  ' }), 'case-number-required');
    assert.equal(ruleOf(policy(), { caseNumber: undefined }), 'case-number-required');
    assert.equal(ruleOf(policy((x) => { x.searches.requireCaseNumber = false; }), { caseNumber: undefined }), undefined);
  });

  it('needs a purpose, and one of the allowed when the policy lists them', () => {
    assert.equal(ruleOf(policy(), { purpose: '' }), 'purpose-required');
    const listed = policy((x) => { x.clients.allowedPurposes = ['missing-person']; });
    assert.equal(ruleOf(listed, {}), 'purpose-not-allowed');
    assert.equal(ruleOf(listed, { purpose: ' missing-person ' }), undefined);
  });

  it('refuses a gallery not granted to the client, by name', () => {
    const d = decideSearch(policy(), { ...search, galleries: [press, { id: 'g-x', name: 'staff' }] }, now);
    assert.deepEqual(d, {
      outcome: 'deny', ruleId: 'gallery-not-granted',
      reason: 'denied by rule `gallery-not-granted`: client "acme-police" is not granted gallery "staff"',
    });
  });

  it('grants through the client id, the client name and *', () => {
    const byId = policy((x) => { x.clients.galleries = { 'c-uuid-1': ['g-press'] }; });
    assert.equal(ruleOf(byId, {}), undefined);
    assert.equal(ruleOf(policy(), { galleries: [missing, press] }), undefined);
    const everything = policy((x) => { x.clients.galleries = { 'acme-police': ['*'] }; });
    assert.equal(ruleOf(everything, { galleries: [{ id: 'g-any', name: 'anything' }] }), undefined);
  });

  it('grants nothing by default', () => {
    const p = defaultPolicy();
    assert.deepEqual(grantedGalleries(p, client), []);
    assert.equal(decideSearch(p, search, now).outcome, 'deny');
  });

  it('needs at least one gallery', () => {
    assert.equal(ruleOf(policy(), { galleries: [] }), 'gallery-required');
  });
});

describe('rate limits and quotas', () => {
  const usage = (user: Partial<SearchCounts>, ofClient: Partial<SearchCounts> = {}) =>
    ({ usage: { user: { ...none, ...user }, client: { ...none, ...ofClient } } });

  it('resolves the default limits', () => {
    assert.deepEqual(searchLimits(policy(), client, ['investigator']), {
      user: { perMinute: 10, perHour: 100, perDay: 200 },
      client: { perMinute: 60, perHour: 1000, perDay: 2000 },
    });
  });

  it('a named client overrides *, and the most generous searching role wins', () => {
    const p = policy((x) => {
      x.searches.roles = ['investigator', 'supervisor'];
      x.searches.rateLimits.roles = { investigator: { perMinute: 5, perHour: 50 }, supervisor: { perMinute: 8, perHour: 20 } };
      x.searches.rateLimits.clients = { '*': { perMinute: 1 }, 'acme-police': { perMinute: 100 } };
      x.searches.dailyQuota = { perUser: 10, perClient: 20, clients: { 'c-uuid-1': 30 } };
    });
    assert.deepEqual(searchLimits(p, client, ['investigator', 'supervisor', 'auditor']), {
      user: { perMinute: 8, perHour: 50, perDay: 10 },
      client: { perMinute: 100, perDay: 30 },
    });
  });

  it('a searching role without limits is unlimited', () => {
    const p = policy((x) => { x.searches.rateLimits.roles = {}; });
    assert.deepEqual(searchLimits(p, client, ['investigator']).user, { perDay: 200 });
  });

  it('allows the last search under each limit and refuses the next', () => {
    assert.equal(ruleOf(policy(), usage({ lastMinute: 9, lastHour: 99, today: 199 }, { lastMinute: 59, lastHour: 999, today: 1999 })), undefined);
    assert.equal(ruleOf(policy(), usage({ lastMinute: 10 })), 'user-rate-limit');
    assert.equal(ruleOf(policy(), usage({ lastHour: 100 })), 'user-rate-limit');
    assert.equal(ruleOf(policy(), usage({ today: 200 })), 'user-daily-quota');
    assert.equal(ruleOf(policy(), usage({}, { lastMinute: 60 })), 'client-rate-limit');
    assert.equal(ruleOf(policy(), usage({}, { today: 2000 })), 'client-daily-quota');
  });

  it('says how many searches were made and what the limit is', () => {
    const d = decideSearch(policy(), { ...search, ...usage({ lastMinute: 10 }) }, now);
    assert.equal(d.outcome === 'deny' && d.reason,
      'denied by rule `user-rate-limit`: this user made 10 searches in the last minute, the limit is 10');
  });

  it('admits searches asked for together (a group photo\'s faces) only if the last of them fits', () => {
    const together = (lastMinute: number, admitting: number) => {
      const facts = usage({ lastMinute });
      return decideSearch(policy(), { ...search, usage: { ...facts.usage, admitting } }, now);
    };
    assert.equal(together(6, 4).outcome, 'allow');
    const d = together(7, 4);
    assert.equal(d.outcome === 'deny' && d.reason,
      'denied by rule `user-rate-limit`: this user made 7 searches in the last minute, 4 more are asked for at once, the limit is 10');
  });
});
