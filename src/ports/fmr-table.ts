// The impostor-score table a recogniser was calibrated with: read from a file, used by the core to
// turn a similarity into the false-match rate it corresponds to.

export interface FmrPoint {
  /** Cosine similarity. */
  score: number;
  /** Fraction of impostor pairs (different people) scoring at or above `score`. */
  fmr: number;
}

export interface FmrTable {
  model?: string;
  source?: string;
  /** How many impostor pairs the table was measured on: below 1/impostorPairs nothing can be told. */
  impostorPairs?: number;
  points: FmrPoint[];
  /**
   * The rates of a template fused from two photos of one person (their normalised mean) against
   * one photo of another: fused probes score impostors differently, so they are measured apart.
   */
  fused?: Omit<FmrTable, 'fused'>;
}
