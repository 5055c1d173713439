import type { Command } from 'commander';
import { formatScore, printJson } from '../output.ts';
import { localOperator } from '../operator.ts';
import { withLikeness } from '../session.ts';
import { parseThreshold } from './parse-options.ts';

export function registerCompare(program: Command): void {
  program.command('compare <a> <b>')
    .description('1:1 similarity of the largest faces of two photos, and the verdict at the threshold')
    .option('--threshold <t>', 'minimum cosine similarity for "same person" (default: the calibrated threshold)')
    .option('--case <number>', 'the case number this comparison serves (required by the default policy)')
    .option('--purpose <text>', 'why this comparison is made (required)')
    .option('--json', 'machine-readable output')
    .action(async (a: string, b: string, opts: { threshold?: string; json?: boolean; case?: string; purpose?: string }, command: Command) => {
      const threshold = parseThreshold(opts.threshold);
      await withLikeness(command, async (likeness) => {
        const [bytesA, bytesB] = await Promise.all([likeness.imageFiles.read(a), likeness.imageFiles.read(b)]);
        const result = await likeness.searches.compare(localOperator(), bytesA, bytesB, { threshold, caseNumber: opts.case, purpose: opts.purpose });
        if (opts.json) return printJson(result);
        const verdict = result.match ? 'same person' : 'different people';
        console.log(`${formatScore(result.score)}  ${verdict} (threshold ${result.threshold})`);
      }, { engine: 'in-process', readOnly: true });
    });
}
