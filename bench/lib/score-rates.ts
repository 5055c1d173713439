/** The score at or above which `rate` of the (ascending) impostor scores lie. */
export function thresholdAtRate(ascending: Float32Array, rate: number): number {
  const above = Math.max(1, Math.floor(rate * ascending.length));
  const i = ascending.length - above;
  // Half-way to the next score: the threshold admits exactly `above` impostors.
  return i > 0 ? (ascending[i]! + ascending[i - 1]!) / 2 : ascending[0]!;
}

/** Fraction of impostor scores at or above each score, from 0 to 1 by 0.01, for interpolation. */
export function fmrTable(ascending: Float32Array): Array<{ score: number; fmr: number }> {
  const points: Array<{ score: number; fmr: number }> = [];
  let i = 0;
  for (let step = 0; step <= 100; step++) {
    const score = step / 100;
    while (i < ascending.length && ascending[i]! < score) i++;
    points.push({ score, fmr: (ascending.length - i) / ascending.length });
  }
  return points;
}
