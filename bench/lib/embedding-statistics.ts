/**
 * Shape statistics of a set of L2-normalised embeddings grouped by identity: what a synthetic
 * gallery must reproduce for an index benchmark on it to say something about real faces.
 */
export interface EmbeddingStatistics {
  identities: number;
  faces: number;
  /** Participation ratio (sum of eigenvalues)^2 / sum of squared eigenvalues of the identity centres' covariance. */
  centreEffectiveDimension: number;
  /** The same for the pooled within-identity residuals (face minus its identity's mean). */
  noiseEffectiveDimension: number;
  genuine: { mean: number; std: number };
  impostor: { mean: number; std: number };
}

export interface IdentityVectors {
  vectors: readonly Float32Array[];
}

export function embeddingStatistics(people: readonly IdentityVectors[], dimension: number): EmbeddingStatistics {
  const withFaces = people.filter((p) => p.vectors.length > 0);
  const centres = withFaces.map((p) => mean(p.vectors, dimension));
  const residuals: Float64Array[] = [];
  for (const [i, p] of withFaces.entries()) {
    if (p.vectors.length < 2) continue;
    for (const v of p.vectors) residuals.push(Float64Array.from(v, (x, j) => x - centres[i]![j]!));
  }
  const genuine: number[] = [];
  for (const p of withFaces) {
    for (let a = 0; a < p.vectors.length; a++) for (let b = a + 1; b < p.vectors.length; b++) genuine.push(dot(p.vectors[a]!, p.vectors[b]!));
  }
  // One face per identity against the next identities' first faces: enough pairs for two moments.
  const firsts = withFaces.map((p) => p.vectors[0]!);
  const impostor: number[] = [];
  for (let a = 0; a < firsts.length; a++) for (let b = a + 1; b < Math.min(firsts.length, a + 50); b++) impostor.push(dot(firsts[a]!, firsts[b]!));
  return {
    identities: withFaces.length,
    faces: withFaces.reduce((n, p) => n + p.vectors.length, 0),
    centreEffectiveDimension: participationRatio(centres, dimension),
    noiseEffectiveDimension: participationRatio(residuals, dimension),
    genuine: moments(genuine),
    impostor: moments(impostor),
  };
}

/** (tr C)^2 / tr(C^2) of the sample covariance, without an eigendecomposition. */
export function participationRatio(rows: readonly ArrayLike<number>[], d: number): number {
  const mu = mean(rows, d);
  const cov = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) x[j] = row[j]! - mu[j]!;
    for (let i = 0; i < d; i++) {
      const xi = x[i]!;
      const base = i * d;
      for (let j = i; j < d; j++) cov[base + j]! += xi * x[j]!;
    }
  }
  let trace = 0;
  let squares = 0;
  for (let i = 0; i < d; i++) {
    trace += cov[i * d + i]!;
    for (let j = i; j < d; j++) squares += (i === j ? 1 : 2) * cov[i * d + j]! ** 2;
  }
  return (trace * trace) / squares;
}

function mean(rows: readonly ArrayLike<number>[], d: number): Float64Array {
  const out = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) out[j]! += row[j]!;
  for (let j = 0; j < d; j++) out[j]! /= Math.max(1, rows.length);
  return out;
}

function moments(values: readonly number[]): { mean: number; std: number } {
  const m = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const v = values.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, values.length);
  return { mean: Number(m.toFixed(4)), std: Number(Math.sqrt(v).toFixed(4)) };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
