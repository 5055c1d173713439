import type { Command, CommanderError } from 'commander';
import { LikenessError } from '../errors.ts';

/**
 * Commander prints nothing of its own on a bad command line; main turns its error into one
 * `likeness: LIKENESS_USAGE: ...` line like every other error. Set before the subcommands are
 * added, which inherit it.
 */
export function quietUsage(program: Command): Command {
  return program.configureOutput({ outputError: () => undefined, writeErr: () => undefined }).exitOverride();
}

export function isCommanderError(error: unknown): error is CommanderError {
  return error instanceof Error && typeof (error as CommanderError).exitCode === 'number' && typeof (error as CommanderError).code === 'string'
    && (error as CommanderError).code.startsWith('commander.');
}

/** The usage error to report, or null when commander showed help the user asked for. */
export function usageError(error: CommanderError, program: Command, argv: readonly string[]): LikenessError | null {
  if (error.exitCode === 0) return null;
  const command = ['likeness', ...commandPath(program, argv)].join(' ');
  // A command that needs a subcommand and got none: commander would print its help to stderr.
  const message = error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync'
    ? `${command} needs a subcommand; see ${command} --help`
    : `${error.message.replace(/^error: /, '').replace(/\s+/g, ' ').trim().replace(/\.$/, '')}; see ${command} --help`;
  return new LikenessError('LIKENESS_USAGE', message);
}

/** The subcommands named on the command line, in order: what `--help` should be asked of. */
function commandPath(program: Command, argv: readonly string[]): string[] {
  const path: string[] = [];
  let current = program;
  for (const word of argv) {
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) continue;
    path.push(next.name());
    current = next;
  }
  return path;
}
