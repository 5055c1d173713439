import type { Command } from 'commander';
import { readImageFile } from '../../repositories/files/directory-image-finder.ts';
import { formatScore, printJson } from '../output.ts';
import { withLikeness } from '../session.ts';
import { parseThreshold } from './parse-options.ts';

export function registerCompare(program: Command): void {
  program.command('compare <a> <b>')
    .description('1:1 similarity of the largest faces of two photos, and the verdict at the threshold')
    .option('--threshold <t>', 'minimum cosine similarity for "same person" (default: the calibrated threshold)')
    .option('--json', 'machine-readable output')
    .action(async (a: string, b: string, opts: { threshold?: string; json?: boolean }, command: Command) => {
      const threshold = parseThreshold(opts.threshold);
      await withLikeness(command, async (likeness) => {
        const [bytesA, bytesB] = await Promise.all([readImageFile(a).read(), readImageFile(b).read()]);
        const result = await (await likeness.search()).compare(bytesA, bytesB, threshold);
        if (opts.json) return printJson(result);
        const verdict = result.match ? 'same person' : 'different people';
        console.log(`${formatScore(result.score)}  ${verdict} (threshold ${result.threshold})`);
      }, { engine: 'in-process' });
    });
}
