// docs/architecture.md, "Honest figures at gallery scale": a candidate's false-match rate is per
// comparison; over the faces a search compared, about searchedFaces x rate strangers score as high.

export function expectedFalseMatches(searchedFaces: number, falseMatchRate: number): number {
  return searchedFaces * falseMatchRate;
}

/** The figure in words, as the CLI and the web UI show it: "about 0.02 strangers expected at this score in this search". */
export function expectedStrangersInWords(expected: number): string {
  const tail = 'expected at this score in this search';
  if (expected < 0.001) return `fewer than 0.001 strangers ${tail}`;
  const figure = expected >= 10 ? String(Math.round(expected))
    : expected >= 1 ? trim(expected.toFixed(1))
      : expected >= 0.1 ? trim(expected.toFixed(2))
        : trim(expected.toPrecision(1));
  return `about ${figure} ${figure === '1' ? 'stranger' : 'strangers'} ${tail}`;
}

function trim(figure: string): string {
  return figure.includes('.') ? figure.replace(/0+$/, '').replace(/\.$/, '') : figure;
}
