import type { FmrTable } from '../../ports/fmr-table.ts';

/** Access reports name a face only where a false match is this unlikely (issue 5: 1e-5 or lower). */
export const STRICT_FMR = 1e-5;

export interface StrictThreshold {
  threshold: number;
  /** The false-match rate the table gives at that threshold. */
  fmr: number;
  /** True when the table was not measured down to the target and the threshold is its top point. */
  beyondTable: boolean;
  tableSource: string;
}

/**
 * The lowest score whose false-match rate is at most the target, from the model's measured table:
 * exact at a table point, log-linear between points (the same reading FalseMatchRate makes).
 */
export function strictThreshold(table: FmrTable, target = STRICT_FMR): StrictThreshold {
  const pts = [...table.points].sort((a, b) => a.score - b.score);
  const tableSource = table.source ?? 'unknown';
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    if (p.fmr > target) continue;
    const prev = pts[i - 1];
    if (!prev || prev.fmr <= 0 || p.fmr <= 0 || p.fmr === target) return { threshold: p.score, fmr: p.fmr, beyondTable: false, tableSource };
    const t = (Math.log10(target) - Math.log10(prev.fmr)) / (Math.log10(p.fmr) - Math.log10(prev.fmr));
    return { threshold: prev.score + t * (p.score - prev.score), fmr: target, beyondTable: false, tableSource };
  }
  const top = pts[pts.length - 1]!;
  return { threshold: top.score, fmr: top.fmr, beyondTable: true, tableSource };
}
