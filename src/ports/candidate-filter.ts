/**
 * A last word on search candidates before they are shown, given their stored embeddings:
 * returns the keys that may be returned. Used to keep suppressed people out of every answer.
 */
export interface CandidateFilter {
  allowed(candidates: ReadonlyArray<{ key: number; embedding: Float32Array }>): Promise<Set<number>>;
}
