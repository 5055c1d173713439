import type { Principal, SearchKind, SearchRecord } from '../../domain/accounts.ts';
import type { Gallery } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { SearchLogRepository } from '../../ports/accounts-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { Store } from '../../ports/store.ts';
import type { Action } from '../authorisation/authorise.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import { decideClient } from '../policy/client-rules.ts';
import { denialError, firstDenial, type Decision, type Denial } from '../policy/decision.ts';
import type { Policy } from '../policy/policy.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { decideSearch, decideVolume, searchLimits, type SearchUsage, type VolumeLimits } from '../policy/search-rules.ts';
import { countSearches, retryAfterSeconds } from './search-usage.ts';

export interface AdmissionFacts {
  caseNumber: string;
  purpose: string;
  /** The galleries a search names; none for a comparison or a detection. */
  galleries?: readonly Gallery[];
  /** SHA-256 of the probe (of each photo, comma-joined, for a comparison or a fused probe). */
  probeSha256: string;
  /** The threshold asked for, if any: the completed record holds the one used. */
  threshold?: number;
}

const ACTION: Record<SearchKind, Action> = { search: 'search.run', compare: 'search.compare', detect: 'search.detect' };

/**
 * Admits a client's search, comparison or detection, or refuses it (docs/architecture.md,
 * "Accountable searches"): in one store transaction, the user's and the client's earlier ones
 * of the same kind are counted and, if the policy and the authorisation allow, this one is
 * recorded before it runs. The store's write lock is held from the count to the insert, so
 * requests in flight cannot all read the same count: 30 at once under a limit of 10 admit 10.
 */
export class SearchAdmission {
  constructor(
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly authoriser: Authoriser,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The search-log record of the admitted request, with no results yet; throws the refusal otherwise. */
  async admit(who: Principal, kind: SearchKind, facts: AdmissionFacts): Promise<SearchRecord> {
    return (await this.admitMany(who, kind, facts, 1))[0]!;
  }

  /**
   * `count` requests of one kind admitted together or not at all, each with its record: the
   * faces of a group photo are one search each, and all of them must fit within the limits.
   */
  async admitMany(who: Principal, kind: SearchKind, facts: AdmissionFacts, count: number): Promise<SearchRecord[]> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot admit ${count} requests`);
    const now = this.clock.now();
    const policy = await this.policyFor(who);
    const client = clientFacts(who);
    const limits = searchLimits(policy, client, who.user.roles);
    const authorised = await this.authoriser.decide(who, ACTION[kind], facts.galleries ? { galleryIds: facts.galleries.map((g) => g.id) } : {});
    const user = { userId: who.user.id };
    const ofClient = { clientId: who.client.id };
    return this.store.transaction(async (tx) => {
      const log = tx.accounts.searches;
      const usage = {
        user: await countSearches(log, user, limits.user, now, kind),
        client: await countSearches(log, ofClient, limits.client, now, kind),
        admitting: count,
      };
      const decision: Decision = kind === 'detect'
        // A detection identifies no one: it states no case or purpose, but the client and volume rules hold.
        ? firstDenial([() => decideClient(policy, client, now), () => decideVolume(limits, usage)])
        : decideSearch(policy, { client, roles: who.user.roles, caseNumber: facts.caseNumber, purpose: facts.purpose, galleries: facts.galleries, usage }, now);
      if (decision.outcome === 'deny') throw await refusal(log, kind, decision, limits, usage, now, user, ofClient);
      if (!authorised.allowed) throw new LikenessError('LIKENESS_FORBIDDEN', authorised.reason, { details: { action: ACTION[kind] } });
      const records: SearchRecord[] = [];
      for (let i = 0; i < count; i++) {
        const record: SearchRecord = {
          id: this.ids.newId(),
          kind,
          userId: who.user.id,
          clientId: who.client.id,
          caseNumber: facts.caseNumber,
          purpose: facts.purpose,
          galleries: (facts.galleries ?? []).map((g) => g.name),
          probeSha256: facts.probeSha256,
          threshold: facts.threshold ?? 0,
          results: [],
          at: now.toISOString(),
        };
        await log.create(record);
        records.push(record);
      }
      return records;
    });
  }

  /** The policy with this client's grants from the store added to those of the policy file. */
  async policyFor(who: Principal): Promise<Policy> {
    const policy = this.policy.policy;
    const stored = await this.store.accounts.clients.grantedGalleryIds(who.client.id);
    if (stored.length === 0) return policy;
    const galleries = { ...policy.clients.galleries, [who.client.id]: [...(policy.clients.galleries[who.client.id] ?? []), ...stored] };
    return { ...policy, clients: { ...policy.clients, galleries } };
  }
}

export function clientFacts(who: Principal) {
  return { id: who.client.id, name: who.client.name, type: who.client.type, jurisdiction: who.client.jurisdiction };
}

async function refusal(
  log: SearchLogRepository, kind: SearchKind, denial: Denial, limits: { user: VolumeLimits; client: VolumeLimits },
  usage: SearchUsage, now: Date, user: { userId: string }, client: { clientId: string },
): Promise<LikenessError> {
  const error = denialError(denial);
  if (error.code !== 'LIKENESS_RATE_LIMITED') return error;
  const whose = denial.ruleId.startsWith('user-') ? 'user' : 'client';
  const seconds = await retryAfterSeconds(log, whose === 'user' ? user : client, limits[whose], usage[whose], now, kind, (usage.admitting ?? 1) - 1);
  return new LikenessError('LIKENESS_RATE_LIMITED', error.message, { details: { ...error.details, kind, retryAfterSeconds: seconds } });
}
