/** A subject's photo, analysed: the largest face's template and, when asked, its liveness. */
export interface AnalysedSelfie {
  embedding: Float32Array;
  modelId: string;
  liveness: { score: number; modelId: string } | null;
}

export interface SelfieAnalyser {
  /** Throws LIKENESS_NO_FACE when the photo shows no face. */
  analyse(bytes: Uint8Array, options: { liveness: boolean }): Promise<AnalysedSelfie>;
}
