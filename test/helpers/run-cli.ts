import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = join(PROJECT_ROOT, 'bin', 'likeness.js');
const BUILT = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
let checked = false;

/**
 * bin/likeness.js runs the program bundled into dist/ (npm test builds it first): a build
 * older than the sources would put old code under test, so that stops the test instead.
 */
function assertBuilt(): void {
  if (checked) return;
  const builtAt = statSync(BUILT, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) throw new Error('dist/ has no compiled program: run npm run build:cli');
  const src = join(PROJECT_ROOT, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.startsWith(join(src, 'web'))) continue;
    if (statSync(path).mtimeMs > builtAt) throw new Error(`${path} is newer than dist/: run npm run build:cli`);
  }
  checked = true;
}

/** Starts the real command-line program, as a user would, against a data directory. */
export function startCli(data: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): { child: ChildProcess; done: Promise<CliResult> } {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, '--data', data, ...args], {
    cwd: PROJECT_ROOT,
    // One face worker unless a test asks for more: each loads the models (about half a CPU-second),
    // the tests' photos are few, and the pool is the same code with one worker as with several.
    env: { ...process.env, LIKENESS_WORKERS: '1', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(data: string, ...args: string[]): Promise<CliResult> {
  return startCli(data, args).done;
}

/** The program with `input` piped to its stdin, as `echo ... | likeness ...` would. */
export function runCliWithInput(data: string, input: string, ...args: string[]): Promise<CliResult> {
  return startCli(data, args, {}, input).done;
}
