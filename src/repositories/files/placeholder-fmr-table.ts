import type { FmrTable } from '../../ports/fmr-table.ts';

/**
 * Used only until the model's measured table (src/engines/face/calibration.json, written by
 * `npm run bench:calibrate -- --write-table`) exists: the typical shape of an ArcFace-style
 * recogniser's impostor tail, not a measurement of ours.
 */
export const PLACEHOLDER_FMR_TABLE: FmrTable = {
  source: 'placeholder until bench:calibrate has run',
  points: [
    { score: 0.0, fmr: 0.5 },
    { score: 0.1, fmr: 1e-1 },
    { score: 0.2, fmr: 1e-2 },
    { score: 0.28, fmr: 1e-3 },
    { score: 0.35, fmr: 1e-4 },
    { score: 0.42, fmr: 1e-5 },
    { score: 0.5, fmr: 1e-6 },
  ],
};
