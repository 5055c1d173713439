import { isLikenessError } from '../errors.ts';

export const isTty = (): boolean => Boolean(process.stderr.isTTY);

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function formatScore(score: number): string {
  return score.toFixed(4);
}

/** The exit code of an error of the catalogue: 2 for input the user can fix (an HTTP status below 500), 1 otherwise. */
export function exitCodeFor(status: number): 1 | 2 {
  return status < 500 ? 2 : 1;
}

/** One line for the user, and the exit code: 2 for input the user can fix, 1 for anything else. */
export function reportError(error: unknown): number {
  if (isLikenessError(error)) {
    process.stderr.write(`likeness: ${error.code}: ${error.message}\n`);
    return exitCodeFor(error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`likeness: LIKENESS_INTERNAL: ${message}\n`);
  if (process.env.LIKENESS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
