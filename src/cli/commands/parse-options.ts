import { LikenessError } from '../../errors.ts';

// Command-line numbers arrive as text; each parser names the option it refuses.

export function parseTop(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new LikenessError('LIKENESS_BAD_INPUT', `--top must be a whole number of 1 or more, got "${raw}"`);
  return Number(raw);
}

export function parseThreshold(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = Number(raw);
  if (raw.trim() === '' || !(t >= -1 && t <= 1)) throw new LikenessError('LIKENESS_BAD_INPUT', `--threshold must be a cosine similarity from -1 to 1, got "${raw}"`);
  return t;
}

/** Left out: the engine's choice (the most prominent face). */
export function parseFaceIndex(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new LikenessError('LIKENESS_BAD_INPUT', `--face must be 0 (largest face) or more, got "${raw}"`);
  return Number(raw);
}
