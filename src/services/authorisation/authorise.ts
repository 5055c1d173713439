import { ROLES, type Role } from '../../domain/accounts.ts';

/**
 * Every read and write of a face, image, report, search record or account that a client's user
 * can ask for (docs/architecture.md, "Authorisation").
 */
export const ACTIONS = [
  /** A face record, its image and source (provenance). */
  'face.read',
  /** A crop of a face, cut from its image on disk. */
  'face.crop',
  'face.delete',
  /** Images into a source: upload, ingestion. */
  'image.write',
  /** Galleries, sources and per-gallery counts: what likeness holds as a whole. */
  'catalogue.read',
  /** Galleries and source declarations, and a source's lifecycle (pause, retire and erase). */
  'catalogue.write',
  /** A search of galleries, which leaves a search record. */
  'search.run',
  /** A 1:1 comparison of two probes. */
  'search.compare',
  /** The faces of a probe, before a search. */
  'search.detect',
  /** The search records of a client. */
  'search.read',
  /** The reviews of a search's candidates, read and written. */
  'search.review',
  /** The searches and watches of a case file (and its export). */
  'case.read',
  /** The audit entries about a client. */
  'audit.read',
  /** The integrity of the whole chain (no entry's content). */
  'audit.verify',
  /** Subject requests, access reports (which list every client's searches), records of processing. */
  'report.read',
  /** Decisions on subject requests: approve, reject, extend, exclude, execute (erasure). */
  'report.write',
  /** Clients with their gallery grants, users with their roles, API keys by prefix (never a secret). */
  'accounts.read',
  /** Clients added, galleries granted and revoked, users added, given roles, disabled or deleted, keys issued and revoked. */
  'accounts.write',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Who asks. Facts only: the caller has looked up the controller and the grants. */
export interface AuthzSubject {
  /** The controller's own staff on the server (the CLI): they act for the controller over everything. */
  local?: boolean;
  clientId: string;
  /** The user: some records are theirs alone. */
  userId?: string;
  roles: readonly string[];
  /** Whether the user's client is the controller named in the policy (`clients.controller`). */
  controller: boolean;
  /** The roles the policy lets search (`searches.roles`). */
  searchRoles: readonly string[];
}

/** What is asked about, as far as the rules look at it. */
export interface AuthzTarget {
  /** The gallery of the face, or every gallery the search names, is granted to the subject's client. */
  galleryGranted?: boolean;
  /** The client has at least one granted gallery (comparisons and detections touch no gallery but need one). */
  anyGalleryGranted?: boolean;
  /** The client whose records are read (search records, audit entries). */
  clientId?: string;
  /** The user who made the record read (a search, a watch). */
  userId?: string;
}

export type AuthzDecision = { allowed: true; role: Role | 'local' } | { allowed: false; reason: string };

/**
 * How far one role reaches for one action:
 * - controller: only on a user of the controller client, over every gallery and client;
 * - granted-gallery: the face's or the searched galleries are granted to the user's client;
 * - any-granted-gallery: the client holds at least one grant;
 * - own-client: the records belong to the user's own client;
 * - own-record: the record was made by the user, in their client;
 * - everywhere: no further condition.
 */
export type Reach = 'controller' | 'granted-gallery' | 'any-granted-gallery' | 'own-client' | 'own-record' | 'everywhere';

/** The roles the policy lets search stand under this name in the rules below. */
export const SEARCHING = 'searching';
type RuleRole = Role | typeof SEARCHING;

/**
 * The policy's searching roles less admin, whatever the policy says: the admin role reaches
 * accounts only, so whoever grants access cannot also use it (docs/architecture.md, "Authorisation").
 */
const searchingRoles = (subject: AuthzSubject): readonly string[] => subject.searchRoles.filter((r) => r !== 'admin');

/**
 * Who may do what, and how far. Each role of a user is judged on its own and the user may act
 * if any one of their roles may: holding a second role never widens what the first one reaches.
 * operator, dpo and admin are the controller's roles; on another client's user they reach nothing.
 */
export const RULES: Readonly<Record<Action, ReadonlyArray<readonly [RuleRole, Reach]>>> = {
  'face.read': [['operator', 'controller'], ['dpo', 'controller']],
  'face.crop': [[SEARCHING, 'granted-gallery'], ['operator', 'controller'], ['dpo', 'controller']],
  'face.delete': [['operator', 'controller']],
  'image.write': [['operator', 'controller']],
  'catalogue.read': [['operator', 'controller']],
  'catalogue.write': [['operator', 'controller']],
  'search.run': [[SEARCHING, 'granted-gallery']],
  'search.compare': [[SEARCHING, 'any-granted-gallery']],
  'search.detect': [[SEARCHING, 'any-granted-gallery']],
  'search.read': [['supervisor', 'own-client']],
  'search.review': [['investigator', 'own-record'], ['supervisor', 'own-client']],
  'case.read': [['investigator', 'own-record'], ['supervisor', 'own-client'], ['auditor', 'own-client']],
  'audit.read': [['auditor', 'own-client']],
  'audit.verify': [['auditor', 'everywhere']],
  'report.read': [['dpo', 'controller']],
  'report.write': [['dpo', 'controller']],
  'accounts.read': [['admin', 'controller']],
  'accounts.write': [['admin', 'controller']],
};

/** The one decision on every read and write of a face, image, report or search record. */
export function authorise(subject: AuthzSubject, action: Action, target: AuthzTarget = {}): AuthzDecision {
  if (subject.local) return { allowed: true, role: 'local' };
  const held = new Set(subject.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r)));
  const rules = RULES[action];
  for (const [ruleRole, reach] of rules) {
    const roles = ruleRole === SEARCHING ? [...held].filter((r) => searchingRoles(subject).includes(r)) : held.has(ruleRole) ? [ruleRole] : [];
    if (roles.length > 0 && reaches(reach, subject, target)) return { allowed: true, role: roles[0]! };
  }
  return { allowed: false, reason: refusal(subject, action, target, held) };
}

function reaches(reach: Reach, subject: AuthzSubject, target: AuthzTarget): boolean {
  switch (reach) {
    case 'controller': return subject.controller;
    case 'granted-gallery': return target.galleryGranted === true;
    case 'any-granted-gallery': return target.anyGalleryGranted === true;
    case 'own-client': return target.clientId !== undefined && target.clientId === subject.clientId;
    case 'own-record': return reaches('own-client', subject, target) && target.userId !== undefined && target.userId === subject.userId;
    case 'everywhere': return true;
  }
}

/** Why not, in words the refused user can act on: the role they lack, or how far their role reaches. */
function refusal(subject: AuthzSubject, action: Action, target: AuthzTarget, held: ReadonlySet<Role>): string {
  const rules = RULES[action];
  const searching = searchingRoles(subject);
  const named = rules.map(([role]) => (role === SEARCHING ? searching.join(' or ') : role));
  const relevant = rules.filter(([role]) => (role === SEARCHING ? [...held].some((r) => searching.includes(r)) : held.has(role)));
  if (relevant.length === 0) return `${action} needs the role ${named.join(' or ')}; you have ${[...held].join(', ') || 'no role'}`;
  const reachesOf = new Set(relevant.map(([, reach]) => reach));
  if (reachesOf.has('granted-gallery') && target.galleryGranted === false) return 'your client is not granted this gallery';
  if (reachesOf.has('any-granted-gallery')) return 'your client is granted no gallery';
  if (reachesOf.has('own-client')) return 'these records belong to another client';
  if (reachesOf.has('own-record')) return 'this record is another user\'s';
  return `${action} is for the controller's ${relevant.map(([role]) => role).join(' or ')}; your client is not the controller`;
}
