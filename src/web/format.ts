/** A false-match rate as people read it: "1 in 12,000". */
export function formatRate(rate: number, upperBound: boolean): string {
  if (rate <= 0) return upperBound ? 'below the smallest measured rate' : '0';
  const oneIn = Math.round(1 / rate);
  const text = oneIn >= 2 ? `1 in ${oneIn.toLocaleString('en')}` : `${(rate * 100).toFixed(1)}%`;
  return upperBound ? `at most ${text}` : text;
}

export function percent(score: number): string {
  return `${Math.round(Math.max(0, score) * 100)}%`;
}
