import type { Principal, SearchRecord } from '../../domain/accounts.ts';
import { DISPOSITIONS, type Disposition, type LeadReview } from '../../domain/cases.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';

export interface ReviewInput {
  faceId: string;
  disposition: string;
  reason: string;
}

const MAX_REASON = 2000;

/**
 * A search result is a lead, not an identification (docs/architecture.md, "Case work"): a
 * reviewer records what they made of each candidate, with a reason. The review and its audit
 * entry commit together. Investigators review their own searches; supervisors any search of
 * their client.
 */
export class LeadReviews {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    private readonly authoriser: Authoriser,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async review(who: Principal, searchId: string, input: ReviewInput): Promise<LeadReview> {
    const search = await this.visibleSearch(who, searchId);
    const disposition = input.disposition as Disposition;
    if (!DISPOSITIONS.includes(disposition)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `disposition must be one of ${DISPOSITIONS.join(', ')}, got "${String(input.disposition).slice(0, 40)}"`);
    }
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason.length === 0 || reason.length > MAX_REASON) throw new LikenessError('LIKENESS_BAD_INPUT', `A review states its reason, in 1 to ${MAX_REASON} characters`);
    if (!search.results.some((r) => r.faceId === input.faceId)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `Face ${String(input.faceId).slice(0, 100)} is not a candidate of search ${search.id}`);
    }
    const review: LeadReview = {
      id: this.ids.newId(), searchId: search.id, faceId: input.faceId, clientId: who.client.id, userId: who.user.id,
      disposition, reason, at: this.clock.now().toISOString(),
    };
    await this.audit.record({
      actor: who.user.id, client: who.client.id, action: 'search.review', target: search.id,
      details: { reviewId: review.id, caseNumber: search.caseNumber, faceId: review.faceId, disposition, reason },
    }, (tx) => tx.cases.reviews.create(review));
    return review;
  }

  /** The reviews of a search the user may see, oldest first. */
  async list(who: Principal, searchId: string): Promise<LeadReview[]> {
    const search = await this.visibleSearch(who, searchId);
    return this.store.cases.reviews.listBySearch([search.id]);
  }

  /**
   * A search the one authorisation function lets the user review (docs/architecture.md,
   * "Authorisation"); another client's, or another investigator's for an investigator, is as good as absent.
   */
  private async visibleSearch(who: Principal, searchId: string): Promise<SearchRecord> {
    const search = await this.store.cases.searches.findById(searchId);
    const visible = search && (await this.authoriser.decide(who, 'search.review', { clientId: search.clientId, userId: search.userId })).allowed;
    if (!visible) throw new LikenessError('LIKENESS_NOT_FOUND', `No search ${searchId.slice(0, 100)} of yours`);
    return search;
  }
}
