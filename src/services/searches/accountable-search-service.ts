import { createHash } from 'node:crypto';
import type { Principal, SearchRecord } from '../../domain/accounts.ts';
import type { Gallery } from '../../domain/types.ts';
import { isLikenessError, LikenessError } from '../../errors.ts';
import type { Store } from '../../repositories/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { denialError, type Denial } from '../policy/decision.ts';
import type { Policy } from '../policy/policy.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { decideSearch, galleryNotGranted, grantedGalleries, searchLimits, type SearchCounts, type VolumeLimits } from '../policy/search-rules.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdGenerator } from '../ports/ids.ts';
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
 * DESIGN.md rule 3: a search runs only for a user whose role and client the policy allow, for a
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

  async search(who: Principal, probe: Uint8Array, input: AccountableSearchInput): Promise<AccountableSearchResult> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    if (!caseNumber || !purpose) {
      throw new LikenessError('LIKENESS_SEARCH_UNJUSTIFIED', `A search must state ${!caseNumber ? 'its case number' : 'its purpose'}`);
    }
    const probeSha256 = createHash('sha256').update(probe).digest('hex');
    const base = { actor: who.user.id, client: who.client.id };
    try {
      const searcher = await this.searches();
      checkThreshold(input.threshold, searcher.defaultThreshold);
      const galleries = await this.galleries(who, input.galleries);
      await this.enforcePolicy(who, { caseNumber, purpose, galleries });
      const result = await searcher.search(probe, {
        top: input.maxResults, threshold: input.threshold, faceIndex: input.faceIndex, galleries: galleries.map((g) => g.name),
      });
      const record: SearchRecord = {
        id: this.ids.newId(),
        userId: who.user.id,
        clientId: who.client.id,
        caseNumber,
        purpose,
        galleries: galleries.map((g) => g.name),
        probeSha256,
        threshold: result.threshold,
        results: result.candidates.map((c) => ({ faceId: c.faceId, score: c.score })),
        at: this.clock.now().toISOString(),
      };
      await this.audit.record({
        ...base, action: 'search', target: record.id,
        details: { caseNumber, purpose, galleries: record.galleries, probeSha256, threshold: record.threshold, faceIndex: result.probe.faceIndex, results: record.results },
      }, (tx) => tx.searches.create(record));
      return { ...result, searchId: record.id, galleries: record.galleries, candidates: result.candidates.map((c) => this.withRate(c)) };
    } catch (error) {
      const code = isLikenessError(error) ? error.code : 'LIKENESS_INTERNAL';
      await this.audit.record({ ...base, action: 'search.refused', target: null, details: { caseNumber, purpose, probeSha256, code, ...ruleOf(error) } });
      throw error;
    }
  }

  async compare(who: Principal, a: Uint8Array, b: Uint8Array, input: { threshold?: number; caseNumber?: string; purpose?: string }): Promise<CompareResult & { falseMatchRate: number; falseMatchRateIsUpperBound: boolean }> {
    const searcher = await this.searches();
    checkThreshold(input.threshold, searcher.defaultThreshold);
    const result = await searcher.compare(a, b, input.threshold);
    const reading = this.fmr.at(result.score);
    await this.audit.record({
      actor: who.user.id, client: who.client.id, action: 'compare', target: null,
      details: { caseNumber: input.caseNumber ?? null, purpose: input.purpose ?? null, sha256: [sha(a), sha(b)], score: result.score, match: result.match },
    });
    return { ...result, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound };
  }

  async listForClient(clientId: string, options: { limit: number; before?: string }): Promise<SearchRecord[]> {
    return this.store.accounts.searches.listByClient(clientId, options);
  }

  private withRate(c: Candidate): ScoredCandidate {
    const reading = this.fmr.at(c.score);
    return { ...c, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound };
  }

  private async galleries(who: Principal, names: string[] | undefined): Promise<Gallery[]> {
    const all = await this.store.galleries.list();
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

  private async enforcePolicy(who: Principal, facts: { caseNumber: string; purpose: string; galleries: Gallery[] }): Promise<void> {
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

function ruleOf(error: unknown): { ruleId?: unknown } {
  return isLikenessError(error) && error.details?.ruleId !== undefined ? { ruleId: error.details.ruleId } : {};
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
