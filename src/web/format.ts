/** A false-match rate as people read it: "1 in 12,000". */
export function formatRate(rate: number, upperBound: boolean): string {
  if (rate <= 0) return upperBound ? 'below the smallest measured rate' : '0';
  const oneIn = Math.round(1 / rate);
  const text = oneIn >= 2 ? `1 in ${oneIn.toLocaleString('en')}` : `${(rate * 100).toFixed(1)}%`;
  return upperBound ? `at most ${text}` : text;
}

/**
 * A similarity as the score it is (cosine, 0 to 1), e.g. "0.84": shown as "84%" it would read
 * as the probability of a match, which it is not (the false-match rate says how likely a stranger is).
 */
export function formatScore(score: number): string {
  return Math.max(0, score).toFixed(2);
}
