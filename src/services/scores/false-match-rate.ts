import type { FmrPoint, FmrTable } from '../../ports/fmr-table.ts';

export interface FmrReading {
  fmr: number;
  /** True where the measurement runs out: the real rate is at most `fmr`. */
  upperBound: boolean;
  /** True where the rate comes from the tail fitted beyond the measured rates, not from a measurement. */
  extrapolated: boolean;
}

/**
 * A rate read from fewer impostor pairs than this is noise (and, on LFW, mostly the dataset's own
 * labelling slips): the table is trusted down to this many pairs, the fitted tail takes over below.
 */
export const MIN_PAIRS_MEASURED = 100;

/** The tail's slope is fitted over this many decades of rate above where the measurement stops. */
const FIT_DECADES = 2;

/**
 * Maps a similarity score to the false-match rate it corresponds to, from an impostor score
 * table: log-linear interpolation between points (rates span orders of magnitude), clamped below
 * the table. Past the last rate measured on at least MIN_PAIRS_MEASURED pairs the rate follows a
 * straight line in log10(rate) fitted to the measured decades just above it (docs/architecture.md,
 * "Honest figures at gallery scale"): galleries of millions of faces need rates far below what
 * any impostor set measures, and a reading there is marked `extrapolated`.
 */
export class FalseMatchRate {
  private readonly points: FmrPoint[];
  /** The last trusted point: the tail starts here. */
  private readonly joint: FmrPoint;
  /** log10(rate) per unit of score past the joint (negative). */
  private readonly slope: number;

  constructor(table: FmrTable) {
    const sorted = [...table.points].sort((a, b) => a.score - b.score);
    if (sorted.length < 2) throw new RangeError('an FMR table needs at least two points');
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.fmr > sorted[i - 1]!.fmr) throw new RangeError('false-match rates must not rise with the score');
    }
    const smallestMeasured = Math.min(...sorted.map((p) => p.fmr).filter((f) => f > 0));
    const trusted = table.impostorPairs ? Math.max(MIN_PAIRS_MEASURED / table.impostorPairs, smallestMeasured) : smallestMeasured;
    const kept = sorted.filter((p) => p.fmr >= trusted);
    if (kept.length < 2) throw new RangeError('an FMR table needs at least two points measured on enough pairs');
    this.points = kept;
    this.joint = kept[kept.length - 1]!;
    this.slope = fitSlope(kept.filter((p) => p.fmr <= this.joint.fmr * 10 ** FIT_DECADES));
  }

  at(score: number): FmrReading {
    const pts = this.points;
    const first = pts[0]!;
    if (score <= first.score) return { fmr: first.fmr, upperBound: false, extrapolated: false };
    if (score > this.joint.score) {
      return { fmr: this.joint.fmr * 10 ** (this.slope * (score - this.joint.score)), upperBound: false, extrapolated: true };
    }
    let i = 1;
    while (pts[i]!.score < score) i++;
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const t = (score - a.score) / (b.score - a.score);
    const fmr = 10 ** (Math.log10(a.fmr) + t * (Math.log10(b.fmr) - Math.log10(a.fmr)));
    return { fmr, upperBound: false, extrapolated: false };
  }

  /** The lowest score whose rate is at most `rate` (the rate falls with the score, so halving the range finds it). */
  scoreAt(rate: number): number {
    let low = this.points[0]!.score;
    if (this.at(low).fmr <= rate) return low;
    let high = Math.max(1, this.joint.score);
    while (this.at(high).fmr > rate) high += 1;
    for (let i = 0; i < 60; i++) {
      const mid = (low + high) / 2;
      if (this.at(mid).fmr <= rate) high = mid;
      else low = mid;
    }
    return high;
  }
}

/** Least-squares slope of log10(rate) against score; flat (the cautious reading) when there is nothing to fit. */
function fitSlope(points: readonly FmrPoint[]): number {
  const usable = points.filter((p) => p.fmr > 0);
  if (usable.length < 2) return 0;
  const xs = usable.map((p) => p.score);
  const ys = usable.map((p) => Math.log10(p.fmr));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? Math.min(0, sxy / sxx) : 0;
}
