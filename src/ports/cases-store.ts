import type { SearchRecord } from '../domain/accounts.ts';
import type { FaceOrigin, LeadReview, ListedFace, OutboxMessage, Watch, WatchHit, WatchProbe } from '../domain/cases.ts';

export interface LeadReviewRepository {
  create(review: LeadReview): Promise<void>;
  /** Oldest first. */
  listBySearch(searchIds: readonly string[]): Promise<LeadReview[]>;
}

export interface WatchRepository {
  create(watch: Watch, probes: readonly WatchProbe[], secret: string): Promise<void>;
  findById(id: string): Promise<Watch | undefined>;
  secret(id: string): Promise<string | undefined>;
  approve(id: string, by: string, at: string): Promise<boolean>;
  /** Active and not expired at `now`, with the templates of their probes. */
  listActive(now: string): Promise<Array<{ watch: Watch; probes: WatchProbe[] }>>;
  listByCase(clientId: string | null, caseNumber: string): Promise<Watch[]>;
  /** Drops the templates of watches expired at `now`: they serve no purpose any more. */
  dropExpiredProbes(now: string): Promise<number>;
}

export interface WatchHitRepository {
  create(hit: WatchHit): Promise<void>;
  /** Oldest first. */
  listByWatches(watchIds: readonly string[]): Promise<WatchHit[]>;
}

export interface OutboxRepository {
  add(message: OutboxMessage): Promise<void>;
  /**
   * Claims up to `limit` messages due at `now` by moving their next attempt to `leaseUntil`, so
   * another process draining at the same time leaves them alone; a process that dies while
   * sending leaves them due again once the lease runs out.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]>;
  update(message: OutboxMessage): Promise<void>;
  listByWatch(watchId: string): Promise<OutboxMessage[]>;
}

export interface FaceListingRepository {
  /** Active faces collected from a source, page or image, in key order after the cursor. */
  list(origin: FaceOrigin, page: { after?: number; limit: number }): Promise<Array<ListedFace & { key: number }>>;
}

/** The searches a case file is made of; the search log's own port serves rate limits and oversight. */
export interface CaseSearchRepository {
  findById(id: string): Promise<SearchRecord | undefined>;
  /** Oldest first; every client's when clientId is null; at most `limit`. */
  listByCase(clientId: string | null, caseNumber: string, limit: number): Promise<SearchRecord[]>;
}

/** Lead reviews, watches, their hits and alerts, and faces listed by where they came from. */
export interface CasesStore {
  readonly searches: CaseSearchRepository;
  readonly reviews: LeadReviewRepository;
  readonly watches: WatchRepository;
  readonly hits: WatchHitRepository;
  readonly outbox: OutboxRepository;
  readonly faceListing: FaceListingRepository;
}
