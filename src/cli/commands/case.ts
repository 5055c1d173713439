import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { printJson } from '../output.ts';
import { localOperator } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerCase(program: Command): void {
  const cases = program.command('case').description('case files: the searches, reviews, watches and hits of a case number, across every client');

  cases.command('show <caseNumber>')
    .description('the case file as JSON')
    .action(async (caseNumber: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => printJson(await likeness.caseFiles.read(localOperator(), caseNumber)), { readOnly: true });
    });

  cases.command('export <caseNumber>')
    .description('the case file as a document ending with the audit chain\'s head hash; the export is audited')
    .requiredOption('--format <format>', 'pdf or html')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (caseNumber: string, opts: { format: string; out: string }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const exported = await likeness.caseExports.export(localOperator(), caseNumber, opts.format);
        writeFileSync(opts.out, exported.bytes);
        console.log(`wrote ${opts.out} (${exported.bytes.length} bytes, sha256 ${exported.sha256})`);
      }, { readOnly: true });
    });
}
