import { isLikenessError } from '../errors.ts';

export const isTty = (): boolean => Boolean(process.stderr.isTTY);

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function formatScore(score: number): string {
  return score.toFixed(4);
}

/** One line for the user, and the exit code: 2 for input the user can fix, 1 for anything else. */
export function reportError(error: unknown): number {
  if (isLikenessError(error)) {
    process.stderr.write(`likeness: ${error.code}: ${error.message}\n`);
    return error.status < 500 ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`likeness: LIKENESS_INTERNAL: ${message}\n`);
  if (process.env.LIKENESS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
