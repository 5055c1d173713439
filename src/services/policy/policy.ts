import { ROLES, type Role } from '../../domain/accounts.ts';
import { LEGAL_BASES, type LegalBasis } from '../../domain/types.ts';

export { ROLES } from '../../domain/accounts.ts';

// The policy document (likeness.policy.yaml) as the rest of likeness sees it: validated,
// defaults filled in, dates parsed. Every key an operator may set is here.

/** GDPR Art. 9(2) (a)-(j): conditions under which biometric data may be processed at all. */
export const SPECIAL_CATEGORY_CONDITIONS = [
  'explicit-consent',
  'employment-social-protection',
  'vital-interests',
  'not-for-profit-body',
  'manifestly-made-public',
  'legal-claims',
  'substantial-public-interest',
  'health-or-social-care',
  'public-health',
  'archiving-research-statistics',
] as const;

/** The key that stands for every client (gallery grants, rate limits) or every gallery. */
export const ANY = '*';

export interface FaceQualityMinimum {
  /** Shorter side of the face box, in pixels of the original image. */
  minSize: number;
  minDetectionScore: number;
  /** Variance of the Laplacian of the aligned crop; its scale depends on the engine. 0 turns it off. */
  minSharpness: number;
  /** Largest head turn in degrees, either way. */
  maxYaw: number;
}

export interface ClientBan {
  id: string;
  jurisdiction: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive: a ban "until 2027-05-09" ends at 2027-05-09T00:00:00Z. */
  until?: Date;
}

export interface RateLimit {
  perMinute?: number;
  perHour?: number;
}

export interface Policy {
  collection: {
    excludeJurisdictions: string[];
    indexMinors: boolean;
    /** Faces estimated younger than this are treated as minors; above 18 it absorbs the estimator's error. */
    minorAgeThreshold: number;
    allowedLegalBases: LegalBasis[];
    /** Faces are biometric data: without an Art. 9 condition they may not be processed. */
    requireSpecialCategoryCondition: boolean;
    specialCategoryConditions: string[];
    minFaceQuality: FaceQualityMinimum;
    maxRetentionDays: number;
  };
  clients: {
    /** When set, only these types; otherwise every type not denied. */
    allowedTypes?: string[];
    deniedTypes: string[];
    bans: ClientBan[];
    /** When set, a search must state one of these; otherwise any stated purpose. */
    allowedPurposes?: string[];
    /** Client id or name (or `*`) -> gallery names or ids (or `*`). No grant, no search. */
    galleries: Record<string, string[]>;
    /**
     * The client (id or name) of the controller that runs likeness: only its users' operator and
     * dpo roles count (docs/architecture.md, "Authorisation"). None: no user has them over HTTP.
     */
    controller?: string;
  };
  searches: {
    roles: string[];
    requireCaseNumber: boolean;
    rateLimits: {
      /** Each user, by role; a user with several searching roles gets the most generous. */
      roles: Record<string, RateLimit>;
      /** All users of a client together; `*` for any client not named. */
      clients: Record<string, RateLimit>;
    };
    dailyQuota: {
      perUser?: number;
      perClient?: number;
      /** Per-client overrides of perClient, by client id or name. */
      clients: Record<string, number>;
    };
    keepProbes: boolean;
    /**
     * The default threshold of a search is the lowest score at which about this many strangers are
     * expected over the faces searched (never below the calibrated FMR 1e-4 score).
     */
    maxExpectedFalseMatches: number;
    /**
     * On a store sharded over PostgreSQL nodes, whether a search answers from the shards that
     * answered in time, saying which are missing (docs/scaling.md, "A shard that does not answer").
     * Off: the search fails with LIKENESS_SHARD_UNAVAILABLE.
     */
    partialResults: boolean;
  };
  /** Standing searches (docs/architecture.md, "Case work"). */
  watches: {
    enabled: boolean;
    /** Longest a watch may run, in days from its filing. */
    maxDays: number;
    /** Whether alerts may go to loopback or private addresses; refused by default. */
    webhookAllowPrivate: boolean;
  };
  /** How people sign in (docs/architecture.md, "Authentication"). */
  accounts: {
    /** Roles whose users open no session without an enrolled second factor (TOTP). */
    secondFactorRoles: Role[];
  };
}

/** What applies when there is no policy file: restrictive where rights are at stake. */
export function defaultPolicy(): Policy {
  return {
    collection: {
      excludeJurisdictions: [],
      indexMinors: false,
      minorAgeThreshold: 18,
      allowedLegalBases: [...LEGAL_BASES],
      requireSpecialCategoryCondition: true,
      specialCategoryConditions: [...SPECIAL_CATEGORY_CONDITIONS],
      minFaceQuality: { minSize: 32, minDetectionScore: 0.7, minSharpness: 0, maxYaw: 60 },
      maxRetentionDays: 1095,
    },
    clients: {
      deniedTypes: [],
      bans: [],
      galleries: {},
    },
    searches: {
      roles: ['investigator'],
      requireCaseNumber: true,
      rateLimits: {
        roles: { investigator: { perMinute: 10, perHour: 100 } },
        clients: { [ANY]: { perMinute: 60, perHour: 1000 } },
      },
      dailyQuota: { perUser: 200, perClient: 2000, clients: {} },
      keepProbes: false,
      maxExpectedFalseMatches: 0.1,
      partialResults: false,
    },
    watches: { enabled: false, maxDays: 90, webhookAllowPrivate: false },
    // Every role reaches biometric data, searches or the records about them: each needs the second factor.
    accounts: { secondFactorRoles: [...ROLES] },
  };
}
