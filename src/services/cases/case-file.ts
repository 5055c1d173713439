import { isLocalOperator, type Actor } from '../../domain/accounts.ts';
import type { HitProvenance } from '../../domain/cases.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import type { FalseMatchRate } from '../scores/false-match-rate.ts';

export type { CaseCandidate, CaseFile, CaseSearch, CaseWatch, Person } from '../../domain/case-file.ts';
import type { CaseCandidate, CaseFile, CaseSearch, CaseWatch, Person } from '../../domain/case-file.ts';

const MAX_SEARCHES = 1000;
const MAX_CASE = 200;

/**
 * Everything done under a case number within the reader's client (docs/architecture.md, "Case
 * work"): searches with their candidates and reviews, watches with their hits, with users and
 * times. Investigators see what they did themselves; supervisors and auditors their client's;
 * the local operator every client's: each record as the one authorisation function decides
 * (docs/architecture.md, "Authorisation").
 */
export class CaseFiles {
  constructor(
    private readonly store: Store,
    private readonly fmr: FalseMatchRate,
    private readonly clock: { now(): Date },
    private readonly authoriser: Authoriser,
  ) {}

  async read(who: Actor, caseNumber: string): Promise<CaseFile> {
    if (caseNumber.length === 0 || caseNumber.length > MAX_CASE) throw new LikenessError('LIKENESS_BAD_INPUT', `A case number has 1 to ${MAX_CASE} characters`);
    const clientId = isLocalOperator(who) ? null : who.client.id;
    const readable = async <T extends { clientId: string; userId: string }>(rows: T[]): Promise<T[]> => {
      const allowed = await Promise.all(rows.map(async (r) => (await this.authoriser.decide(who, 'case.read', { clientId: r.clientId, userId: r.userId })).allowed));
      return rows.filter((_, i) => allowed[i]);
    };
    const searches = await readable(await this.store.cases.searches.listByCase(clientId, caseNumber, MAX_SEARCHES));
    const watches = await readable(await this.store.cases.watches.listByCase(clientId, caseNumber));
    if (searches.length === 0 && watches.length === 0) throw new LikenessError('LIKENESS_NOT_FOUND', `No case ${caseNumber} of yours`);

    const people = new Map<string, Person>();
    const person = async (id: string): Promise<Person> => {
      let known = people.get(id);
      if (!known) {
        known = { id, name: (await this.store.accounts.users.findById(id))?.name ?? id };
        people.set(id, known);
      }
      return known;
    };
    const reviews = await this.store.cases.reviews.listBySearch(searches.map((s) => s.id));
    const hits = await this.store.cases.hits.listByWatches(watches.map((w) => w.id));
    const now = this.clock.now().toISOString();
    const caseSearches: CaseSearch[] = [];
    for (const { results, ...search } of searches) {
      const own = await Promise.all(reviews.filter((r) => r.searchId === search.id).map(async (r) => ({ ...r, user: await person(r.userId) })));
      const candidates: CaseCandidate[] = [];
      for (const result of results) {
        const reading = this.fmr.at(result.score);
        candidates.push({
          faceId: result.faceId, score: result.score, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound,
          provenance: await this.provenance(result.faceId),
          review: own.filter((r) => r.faceId === result.faceId).at(-1) ?? null,
        });
      }
      caseSearches.push({ ...search, user: await person(search.userId), candidates, reviews: own });
    }
    const caseWatches: CaseWatch[] = [];
    for (const watch of watches) {
      caseWatches.push({
        ...watch, user: await person(watch.userId), approvedByUser: watch.approvedBy ? await person(watch.approvedBy) : null,
        expired: watch.expiresAt <= now, hits: hits.filter((h) => h.watchId === watch.id),
      });
    }
    return { caseNumber, clientId, searches: caseSearches, watches: caseWatches };
  }

  private async provenance(faceId: string): Promise<HitProvenance | null> {
    const face = await this.store.faces.findById(faceId);
    if (!face || face.status !== 'active') return null;
    const [found] = await this.store.faces.provenanceByVectorKeys([face.vectorKey]);
    if (!found) return null;
    return { source: found.source.name, imageUrl: found.image.url, pageUrl: found.image.pageUrl, path: found.image.path, collectedAt: found.image.collectedAt };
  }
}
