import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config.ts';
import type { FmrTable } from '../../ports/fmr-table.ts';
import { PLACEHOLDER_FMR_TABLE } from './placeholder-fmr-table.ts';

export const CALIBRATION_FILE = join(PROJECT_ROOT, 'src', 'engines', 'face', 'calibration.json');

/**
 * The measured score -> false-match-rate table of the model in use (npm run bench:calibrate
 * -- --write-table), or the placeholder while there is none or it was measured on another model.
 */
export function loadFmrTable(modelId: string | undefined, file = CALIBRATION_FILE): FmrTable {
  if (!existsSync(file)) return PLACEHOLDER_FMR_TABLE;
  const table = JSON.parse(readFileSync(file, 'utf8')) as FmrTable;
  if (modelId && table.model && table.model !== modelId) return PLACEHOLDER_FMR_TABLE;
  return table;
}
