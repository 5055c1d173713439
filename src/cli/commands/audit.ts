import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
import { printJson } from '../output.ts';
import { withLikeness } from '../session.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log');

  audit.command('verify')
    .description('check the whole hash chain; exits non-zero naming the first broken entry')
    .action(async (_opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const result = await likeness.audit.verify();
        if (!result.intact) {
          throw new LikenessError('LIKENESS_AUDIT_BROKEN',
            `entry ${result.firstBroken.seq} is broken: ${result.firstBroken.reason} (${result.entries} entries before it verify)`);
        }
        console.log(`audit chain intact: ${result.entries} entries${result.lastHash ? `, last hash ${result.lastHash}` : ''}`);
      }, { readOnly: true });
    });

  audit.command('head')
    .description('print the last entry\'s sequence number and hash, to keep a copy outside this machine')
    .action(async (_opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const head = await likeness.audit.head();
        printJson(head ? { seq: head.seq, hash: head.hash, at: head.at } : { seq: 0, hash: null, at: null });
      }, { readOnly: true });
    });

  audit.command('export')
    .description('print entries as JSON lines, in order')
    .option('--from <time>', 'ISO date or time, inclusive')
    .option('--to <time>', 'ISO date or time, exclusive')
    .action(async (opts: { from?: string; to?: string }, command: Command) => {
      const range = { from: isoOption(opts.from, '--from'), to: isoOption(opts.to, '--to') };
      await withLikeness(command, async (likeness) => {
        for await (const batch of likeness.audit.entries(range)) {
          process.stdout.write(batch.map((e) => JSON.stringify(e)).join('\n') + '\n');
        }
      }, { readOnly: true });
    });
}

function isoOption(raw: string | undefined, option: string): string | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new LikenessError('LIKENESS_BAD_INPUT', `${option} must be an ISO date or time, got "${raw}"`);
  return new Date(t).toISOString();
}
