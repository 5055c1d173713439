// What a case file shows: the searches, reviews, watches and hits under one case number.
import type { SearchRecord } from './accounts.ts';
import type { HitProvenance, LeadReview, Watch, WatchHit } from './cases.ts';

export interface Person { id: string; name: string }

export interface CaseCandidate {
  faceId: string;
  score: number;
  falseMatchRate: number;
  falseMatchRateIsUpperBound: boolean;
  /** Null once the face has been erased: the search stays on record, the face does not. */
  provenance: HitProvenance | null;
  /** The latest review of this candidate, if any. */
  review: (LeadReview & { user: Person }) | null;
}

export interface CaseSearch extends Omit<SearchRecord, 'results'> {
  user: Person;
  candidates: CaseCandidate[];
  /** Every review of the search, oldest first: a later one supersedes an earlier. */
  reviews: Array<LeadReview & { user: Person }>;
}

export interface CaseWatch extends Watch {
  user: Person;
  approvedByUser: Person | null;
  /** Whether it is past its date at the time of reading. */
  expired: boolean;
  hits: WatchHit[];
}

export interface CaseFile {
  caseNumber: string;
  /** The client whose case this is; null when the local operator reads every client's. */
  clientId: string | null;
  searches: CaseSearch[];
  watches: CaseWatch[];
}
