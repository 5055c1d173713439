import { decideClient, forClient, type ClientFacts } from './client-rules.ts';
import { ALLOW, deny, firstDenial, type Decision, type Denial } from './decision.ts';
import { ANY, type Policy, type RateLimit } from './policy.ts';

export interface GalleryRef {
  id: string;
  name: string;
}

/** Searches already made, before this one; the caller counts them from its records. */
export interface SearchCounts {
  lastMinute: number;
  lastHour: number;
  /** Since 00:00 UTC. */
  today: number;
}

export interface SearchFacts {
  client: ClientFacts;
  roles: readonly string[];
  purpose: string;
  caseNumber?: string;
  /** The galleries searched; left out for a 1:1 comparison, which searches none. */
  galleries?: readonly GalleryRef[];
  /** Leave out to check everything but the rate limits and quotas. */
  usage?: SearchUsage;
}

export interface SearchUsage {
  user: SearchCounts;
  client: SearchCounts;
  /** How many searches this decision admits together (the faces of a group photo); 1 when left out. */
  admitting?: number;
}

export interface VolumeLimits {
  perMinute?: number;
  perHour?: number;
  perDay?: number;
}

/** The limits one user of one client searches under; undefined means unlimited. */
export function searchLimits(policy: Policy, client: ClientFacts, roles: readonly string[]): { user: VolumeLimits; client: VolumeLimits } {
  const s = policy.searches;
  const byRole = roles.filter((r) => s.roles.includes(r)).map((r) => s.rateLimits.roles[r]);
  // A role without an entry is unlimited, and the most generous role wins.
  const user: RateLimit = byRole.length === 0 || byRole.some((l) => l === undefined) ? {} : {
    perMinute: loosest(byRole.map((l) => l?.perMinute)),
    perHour: loosest(byRole.map((l) => l?.perHour)),
  };
  const ofClient = forClient(s.rateLimits.clients, client) ?? {};
  return {
    user: { ...defined(user), ...(s.dailyQuota.perUser === undefined ? {} : { perDay: s.dailyQuota.perUser }) },
    client: { ...defined(ofClient), ...perDay(forClient(s.dailyQuota.clients, client) ?? s.dailyQuota.perClient) },
  };
}

/** The galleries a client may search: the union of its own grants and those of `*`. */
export function grantedGalleries(policy: Policy, client: ClientFacts): string[] {
  const grants = policy.clients.galleries;
  const keys = [client.id, client.name, ANY].filter((k): k is string => k !== undefined && Object.hasOwn(grants, k));
  return [...new Set(keys.flatMap((k) => grants[k] ?? []))];
}

/** The refusal of a gallery the client may not search; worded alike whether the gallery exists or not. */
export function galleryNotGranted(client: { id: string; name?: string }, galleryName: string): Denial {
  return deny('gallery-not-granted', `client "${client.name ?? client.id}" is not granted gallery "${galleryName}"`);
}

/** May this user of this client run this search now? */
export function decideSearch(policy: Policy, facts: SearchFacts, at: Date): Decision {
  const s = policy.searches;
  const granted = grantedGalleries(policy, facts.client);
  return firstDenial([
    () => decideClient(policy, facts.client, at),
    () => facts.roles.some((r) => s.roles.includes(r)) ? ALLOW
      : deny('role-not-permitted', `searching needs the role ${s.roles.join(' or ')}; the user has ${facts.roles.join(', ') || 'no role'}`),
    ...justificationRules(policy, facts),
    () => !facts.galleries || facts.galleries.length > 0 ? ALLOW : deny('gallery-required', 'a search must name at least one gallery'),
    ...(facts.galleries ?? []).map((g) => () => granted.includes(ANY) || granted.includes(g.name) || granted.includes(g.id) ? ALLOW
      : galleryNotGranted(facts.client, g.name)),
    () => facts.usage ? decideVolume(searchLimits(policy, facts.client, facts.roles), facts.usage) : ALLOW,
  ]);
}

/**
 * May the local operator (the controller's own staff, on the server) run this search? No client
 * rules, grants or rate limits apply to the controller itself; the justification rules do.
 */
export function decideLocalSearch(policy: Policy, facts: { caseNumber?: string; purpose: string }): Decision {
  return firstDenial(justificationRules(policy, facts));
}

function justificationRules(policy: Policy, facts: { caseNumber?: string; purpose: string }): Array<() => Decision> {
  const purposes = policy.clients.allowedPurposes;
  return [
    () => !policy.searches.requireCaseNumber || (facts.caseNumber ?? '').trim() !== '' ? ALLOW
      : deny('case-number-required', 'every search must state the case number it serves'),
    () => facts.purpose.trim() !== '' ? ALLOW : deny('purpose-required', 'every search must state its purpose'),
    () => purposes === undefined || purposes.includes(facts.purpose.trim()) ? ALLOW
      : deny('purpose-not-allowed', `purpose "${facts.purpose.trim()}" is not one of the allowed: ${purposes.join(', ')}`),
  ];
}

/** Within the rate limits and quotas, given the searches already counted and those asked for now? */
export function decideVolume(limits: { user: VolumeLimits; client: VolumeLimits }, usage: SearchUsage): Decision {
  const asked = usage.admitting ?? 1;
  const more = asked > 1 ? `, ${asked} more are asked for at once` : '';
  const check = (who: 'user' | 'client'): Decision => {
    const l = limits[who];
    const u = usage[who];
    const owner = who === 'user' ? 'this user' : 'this client';
    if (l.perMinute !== undefined && u.lastMinute + asked > l.perMinute) return deny(`${who}-rate-limit`, `${owner} made ${u.lastMinute} searches in the last minute${more}, the limit is ${l.perMinute}`);
    if (l.perHour !== undefined && u.lastHour + asked > l.perHour) return deny(`${who}-rate-limit`, `${owner} made ${u.lastHour} searches in the last hour${more}, the limit is ${l.perHour}`);
    if (l.perDay !== undefined && u.today + asked > l.perDay) return deny(`${who}-daily-quota`, `${owner} made ${u.today} searches today (UTC)${more}, the daily quota is ${l.perDay}`);
    return ALLOW;
  };
  return firstDenial([() => check('user'), () => check('client')]);
}

function loosest(values: Array<number | undefined>): number | undefined {
  return values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[]));
}

function defined(limit: RateLimit): RateLimit {
  return Object.fromEntries(Object.entries(limit).filter(([, v]) => v !== undefined));
}

function perDay(n: number | undefined): VolumeLimits {
  return n === undefined ? {} : { perDay: n };
}
