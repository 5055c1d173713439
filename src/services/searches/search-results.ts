import { expectedFalseMatches } from '../../domain/expected-false-matches.ts';
import type { FalseMatchRate } from '../scores/false-match-rate.ts';
import type { Candidate, ProbeFace, SearchResult } from '../search-service.ts';

// What a search use case answers: the candidates with the rates read from the calibration, and
// what a partial answer from a sharded store says about itself.

export interface ScoredCandidate extends Candidate {
  falseMatchRate: number;
  falseMatchRateIsUpperBound: boolean;
  /** searchedFaces x falseMatchRate: how many strangers this search was expected to find at this score. */
  expectedFalseMatches: number;
  /** The rate comes from the fitted tail beyond the calibration's measured rates. */
  extrapolated: boolean;
}

export interface AccountableSearchResult extends Omit<SearchResult, 'candidates'> {
  searchId: string;
  galleries: string[];
  /** The probe face of each photo of a fused probe, in the order given. */
  fusedFrom?: ProbeFace[];
  /** True when the threshold or a candidate's rate lies beyond the calibration's measured rates. */
  extrapolated: boolean;
  candidates: ScoredCandidate[];
}

/** Present only when some shards of the store did not answer and the policy allows a partial answer. */
export interface PartialAnswer {
  partial?: true;
  /** The shards that did not answer: their faces were neither compared nor counted in searchedFaces. */
  missingShards?: string[];
}

export interface FaceSearch extends PartialAnswer {
  face: ProbeFace;
  searchId: string;
  threshold: number;
  extrapolated: boolean;
  candidates: ScoredCandidate[];
}

/** Every face of a group photo searched on its own, each with its own record and audit entry. */
export interface GroupSearchResult extends PartialAnswer {
  galleries: string[];
  searchedFaces: number;
  probes: FaceSearch[];
}

export function partialAnswer(result: { missingShards?: string[] }): PartialAnswer {
  return result.missingShards?.length ? { partial: true, missingShards: result.missingShards } : {};
}

/**
 * What the audit entry of a partial search adds: that it was partial, the shards it missed, and
 * the faces it did compare, from which its threshold and each candidate's expected false matches
 * were worked out (docs/scaling.md, "A shard that does not answer").
 */
export function partialDetails(result: { missingShards?: string[]; searchedFaces: number }): Record<string, unknown> {
  return result.missingShards?.length ? { partial: true, missingShards: result.missingShards, searchedFaces: result.searchedFaces } : {};
}

export function withRate(c: Candidate, rates: FalseMatchRate, searchedFaces: number): ScoredCandidate {
  const reading = rates.at(c.score);
  return {
    ...c, falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound,
    expectedFalseMatches: expectedFalseMatches(searchedFaces, reading.fmr), extrapolated: reading.extrapolated,
  };
}
