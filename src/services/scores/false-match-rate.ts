import type { FmrPoint, FmrTable } from '../../ports/fmr-table.ts';

export interface FmrReading {
  fmr: number;
  /** True where the measurement runs out: the real rate is at most `fmr`. */
  upperBound: boolean;
}

/**
 * Maps a similarity score to the false-match rate it corresponds to, from an impostor score
 * table: log-linear interpolation between points (rates span orders of magnitude), clamped at
 * both ends. Where the table reaches zero the rate is reported as at most 1/impostorPairs.
 */
export class FalseMatchRate {
  private readonly points: FmrPoint[];
  private readonly floor: number;

  constructor(table: FmrTable) {
    const sorted = [...table.points].sort((a, b) => a.score - b.score);
    if (sorted.length < 2) throw new RangeError('an FMR table needs at least two points');
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.fmr > sorted[i - 1]!.fmr) throw new RangeError('false-match rates must not rise with the score');
    }
    const smallestMeasured = Math.min(...sorted.map((p) => p.fmr).filter((f) => f > 0));
    this.floor = table.impostorPairs ? 1 / table.impostorPairs : smallestMeasured;
    this.points = sorted.map((p) => ({ score: p.score, fmr: Math.max(p.fmr, this.floor) }));
  }

  at(score: number): FmrReading {
    const pts = this.points;
    const first = pts[0]!;
    const last = pts[pts.length - 1]!;
    if (score <= first.score) return { fmr: first.fmr, upperBound: false };
    if (score >= last.score) return { fmr: last.fmr, upperBound: true };
    let i = 1;
    while (pts[i]!.score < score) i++;
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const t = (score - a.score) / (b.score - a.score);
    const fmr = 10 ** (Math.log10(a.fmr) + t * (Math.log10(b.fmr) - Math.log10(a.fmr)));
    return { fmr, upperBound: b.fmr <= this.floor };
  }
}
