import { CLIENT_TYPES } from '../../domain/accounts.ts';
import { LEGAL_BASES, type LegalBasis } from '../../domain/types.ts';
import { isJurisdiction } from './jurisdiction.ts';
import { defaultPolicy, ROLES, SPECIAL_CATEGORY_CONDITIONS, type ClientBan, type Policy, type RateLimit } from './policy.ts';
import { PolicyReader, type TextPattern } from './policy-reader.ts';

const JURISDICTION: TextPattern = { test: isJurisdiction, what: 'an ISO 3166 code such as FR or US-IL' };
const NAME: TextPattern = {
  test: (text) => /^[a-z0-9][a-z0-9._-]*$/.test(text),
  what: 'lower-case letters, digits, dots, dashes or underscores',
};
const COUNT = { min: 0, max: 1_000_000_000, integer: true };

/**
 * Turns the parsed YAML/JSON document into a Policy, filling defaults for absent keys and
 * refusing unknown keys (a misspelt key would otherwise silently leave a rule off).
 */
export function parsePolicy(document: unknown, origin: string): Policy {
  const r = new PolicyReader(origin);
  const d = defaultPolicy();
  const root = r.section(document, '', ['version', 'collection', 'clients', 'searches', 'watches', 'accounts']);
  if (root.version !== undefined && root.version !== 1) r.fail('version', `must be 1, got ${JSON.stringify(root.version)}`);

  const c = r.section(root.collection, 'collection', [
    'excludeJurisdictions', 'indexMinors', 'minorAgeThreshold', 'allowedLegalBases', 'requireSpecialCategoryCondition',
    'specialCategoryConditions', 'minFaceQuality', 'maxRetentionDays',
  ]);
  const q = r.section(c.minFaceQuality, 'collection.minFaceQuality', ['minSize', 'minDetectionScore', 'minSharpness', 'maxYaw']);
  const dq = d.collection.minFaceQuality;
  const collection: Policy['collection'] = {
    excludeJurisdictions: r.strings(c.excludeJurisdictions, 'collection.excludeJurisdictions', { pattern: JURISDICTION, upper: true })
      ?? d.collection.excludeJurisdictions,
    indexMinors: r.bool(c.indexMinors, 'collection.indexMinors', d.collection.indexMinors),
    minorAgeThreshold: r.number(c.minorAgeThreshold, 'collection.minorAgeThreshold', d.collection.minorAgeThreshold, { min: 18, max: 30 }),
    allowedLegalBases: (r.strings(c.allowedLegalBases, 'collection.allowedLegalBases', { allowed: LEGAL_BASES }) as LegalBasis[] | undefined)
      ?? d.collection.allowedLegalBases,
    requireSpecialCategoryCondition: r.bool(c.requireSpecialCategoryCondition, 'collection.requireSpecialCategoryCondition',
      d.collection.requireSpecialCategoryCondition),
    specialCategoryConditions: r.strings(c.specialCategoryConditions, 'collection.specialCategoryConditions',
      { allowed: SPECIAL_CATEGORY_CONDITIONS }) ?? d.collection.specialCategoryConditions,
    minFaceQuality: {
      minSize: r.number(q.minSize, 'collection.minFaceQuality.minSize', dq.minSize, { min: 0, max: 10_000 }),
      minDetectionScore: r.number(q.minDetectionScore, 'collection.minFaceQuality.minDetectionScore', dq.minDetectionScore, { min: 0, max: 1 }),
      minSharpness: r.number(q.minSharpness, 'collection.minFaceQuality.minSharpness', dq.minSharpness, { min: 0, max: 1e9 }),
      maxYaw: r.number(q.maxYaw, 'collection.minFaceQuality.maxYaw', dq.maxYaw, { min: 0, max: 180 }),
    },
    maxRetentionDays: r.number(c.maxRetentionDays, 'collection.maxRetentionDays', d.collection.maxRetentionDays,
      { min: 1, max: 36_500, integer: true }),
  };

  const cl = r.section(root.clients, 'clients', ['allowedTypes', 'deniedTypes', 'bans', 'allowedPurposes', 'galleries', 'controller']);
  const allowedTypes = r.strings(cl.allowedTypes, 'clients.allowedTypes', { allowed: CLIENT_TYPES });
  const allowedPurposes = r.strings(cl.allowedPurposes, 'clients.allowedPurposes');
  const clients: Policy['clients'] = {
    ...(allowedTypes ? { allowedTypes } : {}),
    deniedTypes: r.strings(cl.deniedTypes, 'clients.deniedTypes', { allowed: CLIENT_TYPES }) ?? d.clients.deniedTypes,
    bans: readBans(r, cl.bans),
    ...(allowedPurposes ? { allowedPurposes } : {}),
    galleries: Object.fromEntries(Object.entries(r.mapping(cl.galleries, 'clients.galleries'))
      .map(([client, list]) => [client, r.strings(list, `clients.galleries.${client}`) ?? []])),
    ...(cl.controller === undefined || cl.controller === null ? {} : { controller: r.string(cl.controller, 'clients.controller') }),
  };

  const s = r.section(root.searches, 'searches', ['roles', 'requireCaseNumber', 'rateLimits', 'dailyQuota', 'keepProbes', 'maxExpectedFalseMatches', 'partialResults']);
  const rl = r.section(s.rateLimits, 'searches.rateLimits', ['roles', 'clients']);
  const quota = r.section(s.dailyQuota, 'searches.dailyQuota', ['perUser', 'perClient', 'clients']);
  const roleLimits = r.mapping(rl.roles, 'searches.rateLimits.roles');
  for (const role of Object.keys(roleLimits)) {
    if (!(ROLES as readonly string[]).includes(role)) r.fail(`searches.rateLimits.roles.${role}`, `is not a role; one of ${ROLES.join(', ')}`);
  }
  const searches: Policy['searches'] = {
    roles: r.strings(s.roles, 'searches.roles', { allowed: ROLES }) ?? d.searches.roles,
    requireCaseNumber: r.bool(s.requireCaseNumber, 'searches.requireCaseNumber', d.searches.requireCaseNumber),
    rateLimits: {
      roles: rl.roles === undefined || rl.roles === null ? d.searches.rateLimits.roles : readLimits(r, roleLimits, 'searches.rateLimits.roles'),
      clients: rl.clients === undefined || rl.clients === null ? d.searches.rateLimits.clients
        : readLimits(r, r.mapping(rl.clients, 'searches.rateLimits.clients'), 'searches.rateLimits.clients'),
    },
    dailyQuota: quotaOf(r, quota, s.dailyQuota === undefined || s.dailyQuota === null ? d.searches.dailyQuota : {}),
    keepProbes: r.bool(s.keepProbes, 'searches.keepProbes', d.searches.keepProbes),
    maxExpectedFalseMatches: r.number(s.maxExpectedFalseMatches, 'searches.maxExpectedFalseMatches', d.searches.maxExpectedFalseMatches, { min: 1e-9, max: 1000 }),
    partialResults: r.bool(s.partialResults, 'searches.partialResults', d.searches.partialResults),
  };
  if (searches.roles.length === 0) r.fail('searches.roles', 'must name at least one role, or no one could search');
  if (searches.roles.includes('admin')) r.fail('searches.roles', 'must not name admin: the admin role manages accounts and reaches no face or search');
  const w = r.section(root.watches, 'watches', ['enabled', 'maxDays', 'webhookAllowPrivate']);
  const watches: Policy['watches'] = {
    enabled: r.bool(w.enabled, 'watches.enabled', d.watches.enabled),
    maxDays: r.number(w.maxDays, 'watches.maxDays', d.watches.maxDays, { min: 1, max: 3650, integer: true }),
    webhookAllowPrivate: r.bool(w.webhookAllowPrivate, 'watches.webhookAllowPrivate', d.watches.webhookAllowPrivate),
  };
  const a = r.section(root.accounts, 'accounts', ['secondFactorRoles']);
  const accounts: Policy['accounts'] = {
    secondFactorRoles: (r.strings(a.secondFactorRoles, 'accounts.secondFactorRoles', { allowed: ROLES }) as Policy['accounts']['secondFactorRoles'] | undefined)
      ?? d.accounts.secondFactorRoles,
  };
  return { collection, clients, searches, watches, accounts };
}

function readBans(r: PolicyReader, value: unknown): ClientBan[] {
  const seen = new Set<string>();
  return r.list(value, 'clients.bans').map((item, i) => {
    const path = `clients.bans[${i}]`;
    if (item === null || item === undefined) r.fail(path, 'must be a mapping with id, jurisdiction and until');
    const b = r.section(item, path, ['id', 'jurisdiction', 'from', 'until']);
    const id = r.string(b.id, `${path}.id`, NAME);
    if (seen.has(id)) r.fail(`${path}.id`, `"${id}" is used by another ban; rule ids must be unique`);
    seen.add(id);
    const jurisdiction = r.string(typeof b.jurisdiction === 'string' ? b.jurisdiction.toUpperCase() : b.jurisdiction,
      `${path}.jurisdiction`, JURISDICTION);
    const from = r.date(b.from, `${path}.from`);
    const until = r.date(b.until, `${path}.until`);
    if (from && until && from.getTime() >= until.getTime()) r.fail(`${path}.until`, 'must come after from');
    return { id, jurisdiction, ...(from ? { from } : {}), ...(until ? { until } : {}) };
  });
}

function readLimits(r: PolicyReader, map: Record<string, unknown>, path: string): Record<string, RateLimit> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => {
    const l = r.section(value, `${path}.${key}`, ['perMinute', 'perHour']);
    const limit: RateLimit = {};
    const perMinute = r.number(l.perMinute, `${path}.${key}.perMinute`, undefined, COUNT);
    const perHour = r.number(l.perHour, `${path}.${key}.perHour`, undefined, COUNT);
    if (perMinute !== undefined) limit.perMinute = perMinute;
    if (perHour !== undefined) limit.perHour = perHour;
    return [key, limit];
  }));
}

function quotaOf(r: PolicyReader, q: Record<string, unknown>, fallback: Partial<Policy['searches']['dailyQuota']>): Policy['searches']['dailyQuota'] {
  const perUser = r.number(q.perUser, 'searches.dailyQuota.perUser', fallback.perUser, COUNT);
  const perClient = r.number(q.perClient, 'searches.dailyQuota.perClient', fallback.perClient, COUNT);
  const clients = Object.fromEntries(Object.entries(r.mapping(q.clients, 'searches.dailyQuota.clients'))
    .map(([key, n]) => [key, r.number(n, `searches.dailyQuota.clients.${key}`, 0, COUNT)]));
  return { ...(perUser === undefined ? {} : { perUser }), ...(perClient === undefined ? {} : { perClient }), clients };
}
