import type { Command } from 'commander';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerRetention(program: Command): void {
  const retention = program.command('retention').description('faces past their retention date');

  retention.command('sweep')
    .description('erase every face past its expiry or the retention cap, exactly like an erasure; delete ended sign-in sessions')
    .action(async (_opts, command: Command) => {
      await withLikeness(command, async ({ rights }) => {
        const result = await rights.retention.sweep(cliActor());
        console.log(`erased ${result.erased} expired face(s); deleted ${result.sessionsDeleted} ended session record(s)`);
      });
    });
}
