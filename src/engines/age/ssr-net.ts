/**
 * SSR-Net's soft stagewise regression (Yang et al., IJCAI 2018): each stage k spreads its
 * range over s_k bins with probabilities p, shifts each bin by a learnt offset eta, and
 * rescales its width by a learnt delta_k; the stages refine one another:
 *
 *   age = V * sum_k [ sum_i (i + lambda_local * eta_k,i) * p_k,i ] / prod_{j<=k} s_j (1 + lambda_d * delta_j)
 */
export interface SsrNetParameters {
  /** Bins per stage. */
  stages: readonly number[];
  lambdaLocal: number;
  lambdaD: number;
  /** The range the model regresses over, in years. */
  range: number;
}

/** The published setup, and the one the model pack's fr_age.onnx was trained with. */
export const SSR_NET_AGE: SsrNetParameters = { stages: [3, 3, 3], lambdaLocal: 1, lambdaD: 1, range: 101 };

export interface SsrNetStage {
  /** p: softmax over the stage's bins. */
  probabilities: ArrayLike<number>;
  /** eta: per-bin shift, in (-1, 1). */
  offsets: ArrayLike<number>;
  /** delta_k: the stage's width rescaling, in (-1, 1). */
  delta: number;
}

export function ssrNetRegression(stages: readonly SsrNetStage[], params: SsrNetParameters = SSR_NET_AGE): number {
  if (stages.length !== params.stages.length) {
    throw new Error(`SSR-Net expects ${params.stages.length} stages, got ${stages.length}`);
  }
  let total = 0;
  let denominator = 1;
  stages.forEach((stage, k) => {
    const bins = params.stages[k]!;
    let expected = 0;
    for (let i = 0; i < bins; i++) {
      expected += (i + params.lambdaLocal * (stage.offsets[i] ?? 0)) * (stage.probabilities[i] ?? 0);
    }
    denominator *= bins * (1 + params.lambdaD * stage.delta);
    total += expected / denominator;
  });
  return total * params.range;
}
