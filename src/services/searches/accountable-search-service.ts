import { createHash } from 'node:crypto';
import { auditIdentity, isLocalOperator, type Actor, type Principal, type SearchRecord } from '../../domain/accounts.ts';
import type { Gallery } from '../../domain/types.ts';
import { isLikenessError, LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { denialError, enforce, type Denial } from '../policy/decision.ts';
import type { Policy } from '../policy/policy.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { decideLocalSearch, decideSearch, galleryNotGranted, grantedGalleries, searchLimits, type SearchCounts, type VolumeLimits } from '../policy/search-rules.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { FalseMatchRate } from '../scores/false-match-rate.ts';
import type { Candidate, CompareResult, SearchResult, SearchService } from '../search-service.ts';
import { countSearches, retryAfterSeconds } from './search-usage.ts';
import { checkThreshold } from './threshold-range.ts';

export interface AccountableSearchInput {
  caseNumber?: string;
  purpose?: string;
  /** Gallery names; every gallery granted to the client when left out. */
  galleries?: string[];
  maxResults?: number;
  threshold?: number;
  faceIndex?: number;
}

export interface ScoredCandidate extends Candidate {
  falseMatchRate: number;
  falseMatchRateIsUpperBound: boolean;
}

export interface AccountableSearchResult extends Omit<SearchResult, 'candidates'> {
  searchId: string;
  galleries: string[];
  candidates: ScoredCandidate[];
}

/**
 * docs/architecture.md, "Accountable searches": a search runs only for a user whose role and client the policy allow, for a
 * stated case and purpose, within granted galleries, rate limits and quotas; its record and audit
 * entry are committed before the results are handed back. The probe is kept as its SHA-256 only.
 */
export class AccountableSearchService {
  constructor(
    private readonly searches: () => Promise<SearchService>,
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly fmr: FalseMatchRate,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async search(who: Actor, probe: Uint8Array, input: AccountableSearchInput): Promise<AccountableSearchResult> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const probeSha256 = sha(probe);
    const identity = auditIdentity(who);
    try {
      this.requireJustification(caseNumber, purpose);
      const searcher = await this.searches();
      checkThreshold(input.threshold, searcher.defaultThreshold);
      const galleries = await this.galleries(who, input.galleries);
      await this.enforcePolicy(who, { caseNumber, purpose, galleries });
      const result = await searcher.search(probe, {
        top: input.maxResults, threshold: input.threshold, faceIndex: input.faceIndex, galleries: galleries.map((g) => g.name),
      });
      const record: SearchRecord = {
        id: this.ids.newId(),
        userId: identity.actor,
        clientId: identity.client ?? '',
        caseNumber,
        purpose,
        galleries: galleries.map((g) => g.name),
        probeSha256,
        threshold: result.threshold,
        results: result.candidates.map((c) => ({ faceId: c.faceId, score: c.score })),
        at: this.clock.now().toISOString(),
      };
      // A client's search is also kept in the search log, which rate limits, quotas and access
      // reports read; the local operator's is in the audit log only, under the controller's name.
      await this.audit.record({
        ...identity, action: 'search', target: record.id,
        details: { caseNumber, purpose, galleries: record.galleries, probeSha256, threshold: record.threshold, faceIndex: result.probe.faceIndex, results: record.results },
      }, isLocalOperator(who) ? undefined : (tx) => tx.accounts.searches.create(record));
      return { ...result, searchId: record.id, galleries: record.galleries, candidates: result.candidates.map((c) => this.withRate(c)) };
    } catch (error) {
      await this.audit.record({ ...identity, action: 'search.refused', target: null, details: { caseNumber, purpose, probeSha256, code: codeOf(error), ...ruleOf(error) } });
      throw error;
    }
  }

  /** 1:1 comparison: the same justification and client rules as a search, and audited alike; it searches no gallery. */
  async compare(who: Actor, a: Uint8Array, b: Uint8Array, input: { threshold?: number; caseNumber?: string; purpose?: string }): Promise<CompareResult & { falseMatchRate: number; falseMatchRateIsUpperBound: boolean }> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const identity = auditIdentity(who);
    const sha256 = [sha(a), sha(b)];
    try {
      this.requireJustification(caseNumber, purpose);
      await this.enforcePolicy(who, { caseNumber, purpose });
      const searcher = await this.searches();
      checkThreshold(input.threshold, searcher.defaultThreshold);
      const result = await searcher.compare(a, b, input.threshold);
      const reading = this.fmr.at(result.score);
      await this.audit.record({ ...identity, action: 'compare', target: null, details: { caseNumber, purpose, sha256, score: result.score, match: result.match } });
      return { ...result, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound };
    } catch (error) {
      await this.audit.record({ ...identity, action: 'compare.refused', target: null, details: { caseNumber, purpose, sha256, code: codeOf(error), ...ruleOf(error) } });
      throw error;
    }
  }

  /** Whatever the policy says, a search states its purpose; the case number as the policy requires (rule `case-number-required`). */
  private requireJustification(caseNumber: string, purpose: string): void {
    if (!caseNumber && this.policy.policy.searches.requireCaseNumber) {
      throw new LikenessError('LIKENESS_SEARCH_UNJUSTIFIED', 'denied by rule `case-number-required`: every search must state the case number it serves (--case)',
        { details: { ruleId: 'case-number-required' } });
    }
    if (!purpose) {
      throw new LikenessError('LIKENESS_SEARCH_UNJUSTIFIED', 'denied by rule `purpose-required`: every search must state its purpose (--purpose)',
        { details: { ruleId: 'purpose-required' } });
    }
  }

  async listForClient(clientId: string, options: { limit: number; before?: string }): Promise<SearchRecord[]> {
    return this.store.accounts.searches.listByClient(clientId, options);
  }

  private withRate(c: Candidate): ScoredCandidate {
    const reading = this.fmr.at(c.score);
    return { ...c, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound };
  }

  private async galleries(who: Actor, names: string[] | undefined): Promise<Gallery[]> {
    const all = await this.store.galleries.list();
    // The controller's own operator searches every gallery it holds.
    if (isLocalOperator(who)) return names?.length ? names.map((name) => namedGallery(all, name)) : all;
    const granted = new Set(grantedGalleries(await this.policyFor(who), clientFacts(who)));
    const isGranted = (g: Gallery) => granted.has('*') || granted.has(g.id) || granted.has(g.name);
    if (names && names.length > 0) {
      return names.map((name) => {
        const gallery = all.find((g) => g.name === name);
        // A gallery that does not exist is refused exactly like one that is not granted, so a
        // client cannot learn the names of other clients' galleries by trying them.
        if (!gallery || !isGranted(gallery)) {
          if (!gallery && granted.has('*')) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${name}"`);
          throw denialError(galleryNotGranted(clientFacts(who), name));
        }
        return gallery;
      });
    }
    return all.filter(isGranted);
  }

  private async enforcePolicy(who: Actor, facts: { caseNumber: string; purpose: string; galleries?: Gallery[] }): Promise<void> {
    if (isLocalOperator(who)) return enforce(decideLocalSearch(this.policy.policy, facts));
    const now = this.clock.now();
    const policy = await this.policyFor(who);
    const client = clientFacts(who);
    const limits = searchLimits(policy, client, who.user.roles);
    const user = { userId: who.user.id };
    const ofClient = { clientId: who.client.id };
    const usage = {
      user: await countSearches(this.store.accounts.searches, user, limits.user, now),
      client: await countSearches(this.store.accounts.searches, ofClient, limits.client, now),
    };
    const decision = decideSearch(policy, { client, roles: who.user.roles, caseNumber: facts.caseNumber, purpose: facts.purpose, galleries: facts.galleries, usage }, now);
    if (decision.outcome === 'allow') return;
    throw await this.refusal(decision, limits, usage, now, user, ofClient);
  }

  private async refusal(
    denial: Denial, limits: { user: VolumeLimits; client: VolumeLimits }, usage: { user: SearchCounts; client: SearchCounts },
    now: Date, user: { userId: string }, client: { clientId: string },
  ): Promise<LikenessError> {
    const error = denialError(denial);
    if (error.code !== 'LIKENESS_RATE_LIMITED') return error;
    const whose = denial.ruleId.startsWith('user-') ? 'user' : 'client';
    const seconds = await retryAfterSeconds(this.store.accounts.searches, whose === 'user' ? user : client, limits[whose], usage[whose], now);
    return new LikenessError('LIKENESS_RATE_LIMITED', error.message, { details: { ...error.details, retryAfterSeconds: seconds } });
  }

  /** The policy with this client's grants from the store added to those of the policy file. */
  private async policyFor(who: Principal): Promise<Policy> {
    const policy = this.policy.policy;
    const stored = await this.store.accounts.clients.grantedGalleryIds(who.client.id);
    if (stored.length === 0) return policy;
    const galleries = { ...policy.clients.galleries, [who.client.id]: [...(policy.clients.galleries[who.client.id] ?? []), ...stored] };
    return { ...policy, clients: { ...policy.clients, galleries } };
  }
}

function clientFacts(who: Principal) {
  return { id: who.client.id, name: who.client.name, type: who.client.type, jurisdiction: who.client.jurisdiction };
}

function namedGallery(all: readonly Gallery[], name: string): Gallery {
  const gallery = all.find((g) => g.name === name);
  if (!gallery) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${name}"`);
  return gallery;
}

function codeOf(error: unknown): string {
  return isLikenessError(error) ? error.code : 'LIKENESS_INTERNAL';
}

function ruleOf(error: unknown): { ruleId?: unknown } {
  return isLikenessError(error) && error.details?.ruleId !== undefined ? { ruleId: error.details.ruleId } : {};
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
