import { createHash } from 'node:crypto';
import { auditIdentity, isLocalOperator, type Actor, type SearchKind, type SearchRecord } from '../../domain/accounts.ts';
import type { Gallery } from '../../domain/types.ts';
import { isLikenessError, LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { denialError, enforce } from '../policy/decision.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import { decideLocalSearch, galleryNotGranted, grantedGalleries } from '../policy/search-rules.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { SearchListQuery } from '../../ports/accounts-store.ts';
import type { FalseMatchRate } from '../scores/false-match-rate.ts';
import { galleryThreshold } from '../scores/gallery-threshold.ts';
import type { Candidate, CompareResult, ProbeFace, SearchService } from '../search-service.ts';
import { fuseTemplates } from './fuse-templates.ts';
import { clientFacts, type AdmissionFacts, type SearchAdmission } from './search-admission.ts';
import { partialAnswer, partialDetails, withRate, type AccountableSearchResult, type FaceSearch, type GroupSearchResult } from './search-results.ts';
import { storedProbe } from './stored-probe.ts';
import { checkThreshold } from './threshold-range.ts';

/** Photos of one person fused into one probe at most: each is decoded and embedded in the request. */
export const MAX_FUSED_PHOTOS = 10;

export interface AccountableSearchInput {
  caseNumber?: string;
  purpose?: string;
  /** Gallery names; every gallery granted to the client when left out. */
  galleries?: string[];
  maxResults?: number;
  threshold?: number;
  /** Which face of a single probe photo, largest first; the most prominent face when left out. */
  faceIndex?: number;
}

/**
 * What a search starts from: one photo; several photos of one person, fused into one template;
 * or a face already in a gallery (a pivot), which is then not a candidate itself.
 */
export type SearchProbe = Uint8Array | readonly Uint8Array[] | { faceId: string };

/** The calibrated rates: of one photo's template, and of a template fused from several. */
export interface ScoreRates {
  single: FalseMatchRate;
  fused: FalseMatchRate;
  /** No default threshold goes below this (the configured one). */
  floor: number;
}

/**
 * docs/architecture.md, "Accountable searches": a search runs only for a user whose role and client the policy allow, for a
 * stated case and purpose, within granted galleries, rate limits and quotas; a client's search is
 * counted and recorded in the transaction that admits it, before it runs, and its results
 * complete the record with its audit entry before they are handed back. The probe is kept as its
 * SHA-256 only.
 */
export class AccountableSearchService {
  private readonly rates: ScoreRates;

  constructor(
    private readonly searches: () => Promise<SearchService>,
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly fmr: FalseMatchRate,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Counts, authorises and records a client's search before it runs. */
    private readonly admission: SearchAdmission,
    rates?: ScoreRates,
  ) {
    this.rates = rates ?? { single: fmr, fused: fmr, floor: -1 };
  }

  /**
   * One search: from a photo (its most prominent face, or `faceIndex`), from several photos of one
   * person fused into one template, or from a stored face (a pivot). Its default threshold keeps
   * the strangers expected over the faces searched within the policy's limit.
   */
  async search(who: Actor, probe: SearchProbe, input: AccountableSearchInput): Promise<AccountableSearchResult> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const photos = probePhotos(probe);
    const trace = photos ? { probeSha256: photos.map(sha).join(',') } : { faceId: (probe as { faceId: string }).faceId };
    const identity = auditIdentity(who);
    try {
      this.requireJustification(caseNumber, purpose);
      if (photos && photos.length > 1 && input.faceIndex !== undefined) {
        throw new LikenessError('LIKENESS_BAD_INPUT', 'faceIndex applies to one photo; each photo of a fused probe gives its most prominent face');
      }
      const galleries = await this.galleries(who, input.galleries);
      const raw = await this.searches();
      checkThreshold(input.threshold, raw.defaultThreshold);
      // A client's search is counted and recorded before it runs, in the transaction that admits it;
      // a pivot's record gets the SHA-256 of its face's photo when it is completed.
      const [admitted] = await this.admit(who, 'search', { caseNumber, purpose, galleries, probeSha256: trace.probeSha256 ?? '', threshold: input.threshold });
      const stored = photos ? undefined : await storedProbe(this.store, trace.faceId!, new Set((await this.galleries(who, undefined)).map((g) => g.id)));
      const probeSha256 = stored?.imageSha256 ?? trace.probeSha256 ?? '';
      let template: Float32Array;
      let probeFace: ProbeFace;
      let fusedFrom: ProbeFace[] | undefined;
      if (stored) {
        ({ template, probe: probeFace } = stored);
      } else if (photos!.length === 1) {
        const [chosen] = await raw.probeTemplates(photos![0]!, input.faceIndex ?? 'prominent');
        template = chosen!.face.embedding;
        probeFace = chosen!.probe;
      } else {
        const chosen = (await Promise.all(photos!.map((p) => raw.probeTemplates(p, 'prominent')))).map(([c]) => c!);
        template = fuseTemplates(chosen.map((c) => c.face.embedding));
        fusedFrom = chosen.map((c) => c.probe);
        probeFace = fusedFrom[0]!;
      }
      const rates = fusedFrom ? this.rates.fused : this.rates.single;
      const result = await raw.searchTemplate(template, {
        top: input.maxResults, threshold: input.threshold ?? this.defaultThreshold(rates), galleries: galleries.map((g) => g.name),
        excludeFaceIds: photos ? [] : [trace.faceId!], allowPartial: this.policy.policy.searches.partialResults,
      });
      const searchId = await this.record(who, admitted, { caseNumber, purpose, galleries, probeSha256, threshold: result.threshold, candidates: result.candidates },
        { faceIndex: probeFace.faceIndex, ...(photos ? {} : { faceId: trace.faceId }), ...(fusedFrom ? { photos: fusedFrom.length } : {}), ...partialDetails(result) });
      const candidates = result.candidates.map((c) => withRate(c, rates, result.searchedFaces));
      return {
        ...result, probe: probeFace, ...(fusedFrom ? { fusedFrom } : {}), searchId, galleries: galleries.map((g) => g.name),
        extrapolated: rates.at(result.threshold).extrapolated || candidates.some((c) => c.extrapolated), candidates,
      };
    } catch (error) {
      await this.audit.record({ ...identity, action: 'search.refused', target: null, details: { caseNumber, purpose, ...trace, code: codeOf(error), ...ruleOf(error) } });
      throw error;
    }
  }

  /** Every face of a group photo, largest first, each searched, recorded and audited on its own. */
  async searchEveryFace(who: Actor, photo: Uint8Array, input: Omit<AccountableSearchInput, 'faceIndex'>): Promise<GroupSearchResult> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const probeSha256 = sha(photo);
    const identity = auditIdentity(who);
    try {
      this.requireJustification(caseNumber, purpose);
      const searcher = await this.searches();
      checkThreshold(input.threshold, searcher.defaultThreshold);
      const galleries = await this.galleries(who, input.galleries);
      const facts: AdmissionFacts = { caseNumber, purpose, galleries, probeSha256, threshold: input.threshold };
      // Finding the faces runs the engine like a detection and is admitted as one (counted apart
      // from searches); then each face is a search of its own, admitted all together or none.
      await this.admit(who, 'detect', facts);
      const faces = await searcher.probeTemplates(photo, 'all');
      const admitted = await this.admit(who, 'search', facts, faces.length);
      const probes: FaceSearch[] = [];
      const missing = new Set<string>();
      let searchedFaces = 0;
      for (const [i, { face, probe }] of faces.entries()) {
        const result = await searcher.searchTemplate(face.embedding, {
          top: input.maxResults, threshold: input.threshold ?? this.defaultThreshold(this.rates.single), galleries: galleries.map((g) => g.name),
          allowPartial: this.policy.policy.searches.partialResults,
        });
        searchedFaces = result.searchedFaces;
        for (const shard of result.missingShards ?? []) missing.add(shard);
        const searchId = await this.record(who, admitted[i], { caseNumber, purpose, galleries, probeSha256, threshold: result.threshold, candidates: result.candidates },
          { faceIndex: probe.faceIndex, facesInImage: probe.facesInImage, ...partialDetails(result) });
        const candidates = result.candidates.map((c) => withRate(c, this.rates.single, result.searchedFaces));
        probes.push({
          face: probe, searchId, threshold: result.threshold, candidates,
          extrapolated: this.rates.single.at(result.threshold).extrapolated || candidates.some((c) => c.extrapolated),
          ...partialAnswer(result),
        });
      }
      return { galleries: galleries.map((g) => g.name), searchedFaces, probes, ...partialAnswer({ missingShards: [...missing].sort() }) };
    } catch (error) {
      await this.audit.record({ ...identity, action: 'search.refused', target: null, details: { caseNumber, purpose, probeSha256, code: codeOf(error), ...ruleOf(error) } });
      throw error;
    }
  }

  /** docs/architecture.md, "Honest figures at gallery scale": the policy's limit on expected strangers, over the faces searched. */
  private defaultThreshold(rates: FalseMatchRate): (searchedFaces: number) => number {
    return (searchedFaces) => galleryThreshold(rates, searchedFaces, this.policy.policy.searches.maxExpectedFalseMatches, this.rates.floor);
  }

  /**
   * The audit entry of a search and, for a client's, its results completing the record made at
   * admission, committed together before any result leaves.
   */
  private async record(
    who: Actor,
    admitted: SearchRecord | undefined,
    search: { caseNumber: string; purpose: string; galleries: Gallery[]; probeSha256: string; threshold: number; candidates: Candidate[] },
    probeDetails: Record<string, unknown>,
  ): Promise<string> {
    const identity = auditIdentity(who);
    const record: SearchRecord = {
      id: admitted?.id ?? this.ids.newId(),
      userId: identity.actor,
      clientId: identity.client ?? '',
      caseNumber: search.caseNumber,
      purpose: search.purpose,
      galleries: search.galleries.map((g) => g.name),
      probeSha256: search.probeSha256,
      threshold: search.threshold,
      // Collapsed copies were shown too: they are results of the search.
      results: search.candidates.flatMap((c) => [{ faceId: c.faceId, score: c.score }, ...c.alsoAt.map((d) => ({ faceId: d.faceId, score: c.score }))]),
      at: admitted?.at ?? this.clock.now().toISOString(),
    };
    // A client's search is also kept in the search log, which rate limits, quotas and access
    // reports read; the local operator's is in the audit log only, under the controller's name.
    await this.audit.record({
      ...identity, action: 'search', target: record.id,
      details: {
        caseNumber: record.caseNumber, purpose: record.purpose, galleries: record.galleries, probeSha256: record.probeSha256,
        threshold: record.threshold, ...probeDetails, results: record.results,
      },
    }, admitted ? (tx) => tx.accounts.searches.complete(record.id, { threshold: record.threshold, results: record.results, probeSha256: record.probeSha256 }) : undefined);
    return record.id;
  }

  /** 1:1 comparison: the same justification and client rules as a search, and audited alike; it searches no gallery. */
  async compare(who: Actor, a: Uint8Array, b: Uint8Array, input: { threshold?: number; caseNumber?: string; purpose?: string }): Promise<CompareResult & { falseMatchRate: number; falseMatchRateIsUpperBound: boolean }> {
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const identity = auditIdentity(who);
    const sha256 = [sha(a), sha(b)];
    try {
      this.requireJustification(caseNumber, purpose);
      const searcher = await this.searches();
      checkThreshold(input.threshold, searcher.defaultThreshold);
      const [admitted] = await this.admit(who, 'compare', { caseNumber, purpose, probeSha256: sha256.join(','), threshold: input.threshold });
      const result = await searcher.compare(a, b, input.threshold);
      const reading = this.fmr.at(result.score);
      await this.audit.record({ ...identity, action: 'compare', target: admitted?.id ?? null, details: { caseNumber, purpose, sha256, score: result.score, match: result.match } },
        admitted ? (tx) => tx.accounts.searches.complete(admitted.id, { threshold: result.threshold, results: [] }) : undefined);
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

  async listForClient(clientId: string, options: SearchListQuery): Promise<SearchRecord[]> {
    return this.store.accounts.searches.listByClient(clientId, options);
  }

  private async galleries(who: Actor, names: string[] | undefined): Promise<Gallery[]> {
    const all = await this.store.galleries.list();
    // The controller's own operator searches every gallery it holds.
    if (isLocalOperator(who)) return names?.length ? names.map((name) => namedGallery(all, name)) : all;
    const granted = new Set(grantedGalleries(await this.admission.policyFor(who), clientFacts(who)));
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

  /**
   * A client's search, comparison or detection is counted, authorised and recorded before it runs
   * (`count` of them together); the local operator's is only checked against the justification rules (no
   * client, no limits) and recorded in the audit log alone.
   */
  private async admit(who: Actor, kind: SearchKind, facts: AdmissionFacts, count = 1): Promise<SearchRecord[]> {
    if (!isLocalOperator(who)) return this.admission.admitMany(who, kind, facts, count);
    enforce(decideLocalSearch(this.policy.policy, facts));
    return [];
  }
}

function probePhotos(probe: SearchProbe): readonly Uint8Array[] | undefined {
  if (probe instanceof Uint8Array) return [probe];
  if (Array.isArray(probe)) {
    if (probe.length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'Send at least one probe photo');
    if (probe.length > MAX_FUSED_PHOTOS) throw new LikenessError('LIKENESS_BAD_INPUT', `At most ${MAX_FUSED_PHOTOS} photos are fused into one probe`);
    return probe as readonly Uint8Array[];
  }
  return undefined;
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
