// Commands that are printed for people to paste must survive a POSIX shell as they are.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a POSIX shell reads it back: bare when it holds nothing the shell would touch. */
export function shellWord(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export const shellLine = (args: readonly string[]): string => args.map(shellWord).join(' ');
