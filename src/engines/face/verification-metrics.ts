// Face verification metrics over scored pairs: higher score means "more likely the same person".

export interface ScoredPair {
  score: number;
  same: boolean;
}

export interface RocPoint {
  threshold: number;
  /** False accept rate: different-person pairs scoring at or above the threshold. */
  far: number;
  /** True accept rate: same-person pairs scoring at or above the threshold. */
  tar: number;
}

/** Fraction of pairs classified right when "same" means score >= threshold. */
export function accuracyAt(pairs: readonly ScoredPair[], threshold: number): number {
  if (pairs.length === 0) return 0;
  let right = 0;
  for (const p of pairs) if ((p.score >= threshold) === p.same) right++;
  return right / pairs.length;
}

/**
 * The threshold with the best accuracy, trying the midpoints between consecutive distinct
 * scores (and both ends), in one sorted pass.
 */
export function bestThreshold(pairs: readonly ScoredPair[]): { threshold: number; accuracy: number } {
  if (pairs.length === 0) return { threshold: 0, accuracy: 0 };
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  // Threshold below everything: all pairs called "same".
  let right = sorted.filter((p) => p.same).length;
  let best = { threshold: (sorted[0] as ScoredPair).score - 1e-6, right };
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] as ScoredPair;
    right += p.same ? -1 : 1;
    const next = sorted[i + 1];
    if (next && next.score === p.score) continue;
    const threshold = next ? (p.score + next.score) / 2 : p.score + 1e-6;
    if (right > best.right) best = { threshold, right };
  }
  return { threshold: best.threshold, accuracy: best.right / pairs.length };
}

/**
 * The standard LFW protocol: for each fold, pick the threshold on the other folds and score
 * the held-out one. `fold[i]` is the fold of `pairs[i]`. Std is the population deviation over
 * folds, as the published LFW figures use.
 */
export function kFoldAccuracy(pairs: readonly ScoredPair[], fold: readonly number[]): { mean: number; std: number; perFold: number[]; thresholds: number[] } {
  const folds = [...new Set(fold)].sort((a, b) => a - b);
  const perFold: number[] = [];
  const thresholds: number[] = [];
  for (const f of folds) {
    const train = pairs.filter((_, i) => fold[i] !== f);
    const test = pairs.filter((_, i) => fold[i] === f);
    const { threshold } = bestThreshold(train);
    thresholds.push(threshold);
    perFold.push(accuracyAt(test, threshold));
  }
  const mean = perFold.reduce((a, b) => a + b, 0) / perFold.length;
  const std = Math.sqrt(perFold.reduce((a, b) => a + (b - mean) ** 2, 0) / perFold.length);
  return { mean, std, perFold, thresholds };
}

/** Every operating point, from the strictest threshold to the loosest; ties move together. */
export function rocCurve(pairs: readonly ScoredPair[]): RocPoint[] {
  const positives = pairs.filter((p) => p.same).length;
  const negatives = pairs.length - positives;
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  const points: RocPoint[] = [{ threshold: Infinity, far: 0, tar: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] as ScoredPair;
    if (p.same) tp++;
    else fp++;
    if (sorted[i + 1]?.score === p.score) continue;
    points.push({ threshold: p.score, far: negatives ? fp / negatives : 0, tar: positives ? tp / positives : 0 });
  }
  return points;
}

/** Area under the ROC curve by the trapezoid rule (ties count half, as the Mann-Whitney U does). */
export function rocAuc(curve: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1] as RocPoint;
    const b = curve[i] as RocPoint;
    area += (b.far - a.far) * (a.tar + b.tar) / 2;
  }
  return area;
}

/**
 * The loosest threshold whose false accept rate does not exceed `far`, and the true accept rate
 * there. Null when the pairs cannot resolve that rate (fewer than 1/far impostor pairs), since
 * then "zero false accepts" says nothing about a rate of `far`.
 */
export function tarAtFar(pairs: readonly ScoredPair[], far: number): { threshold: number; tar: number; far: number } | null {
  const impostors = pairs.filter((p) => !p.same).map((p) => p.score).sort((a, b) => b - a);
  if (impostors.length === 0 || impostors.length * far < 1) return null;
  const threshold = thresholdAtFar(impostors, far);
  const genuine = pairs.filter((p) => p.same);
  const accepted = genuine.filter((p) => p.score >= threshold).length;
  const falseAccepts = impostors.filter((s) => s >= threshold).length;
  return { threshold, tar: genuine.length ? accepted / genuine.length : 0, far: falseAccepts / impostors.length };
}

/**
 * Lowest threshold letting through at most `far` of the impostor scores (sorted high to low):
 * just above the first impostor score that would exceed the allowance.
 */
export function thresholdAtFar(impostorsDescending: readonly number[], far: number): number {
  const allowed = Math.floor(far * impostorsDescending.length + 1e-9);
  const first = impostorsDescending[allowed];
  if (first === undefined) return -Infinity;
  return nextUp(first);
}

function nextUp(x: number): number {
  return x + Math.max(Math.abs(x) * 1e-12, 1e-12);
}
