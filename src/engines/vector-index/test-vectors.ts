/** Deterministic random unit vectors for tests: the same seed gives the same vectors everywhere. */
export function unitVectors(count: number, dimension: number, seed = 1): Float32Array[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32, then a Box-Muller pair reduced to one normal: plenty for test data.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const v = new Float32Array(dimension);
    let norm = 0;
    for (let i = 0; i < dimension; i++) {
      v[i] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
      norm += v[i]! * v[i]!;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) v[i]! *= scale;
    return v;
  });
}

/** A unit vector close to `v` (cosine about 0.9): a second photo of the same face. */
export function nearby(v: Float32Array, seed: number): Float32Array {
  const noise = unitVectors(1, v.length, seed)[0]!;
  const out = v.map((x, i) => x + 0.45 * noise[i]!);
  const scale = 1 / Math.hypot(...out);
  return out.map((x) => x * scale);
}
