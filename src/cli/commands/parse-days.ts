import { LikenessError } from '../../errors.ts';

export function parseDays(raw: string, option: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new LikenessError('LIKENESS_BAD_INPUT', `${option} must be a whole number of days, got "${raw}"`);
  return Number(raw);
}
