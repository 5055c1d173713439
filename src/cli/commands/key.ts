import type { Command } from 'commander';
import { DEFAULT_KEY_DAYS } from '../../services/accounts/accounts-service.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';
import { parseDays } from './parse-days.ts';

export function registerKey(program: Command): void {
  const key = program.command('key').description('API keys: issued to users, shown once, stored hashed');

  key.command('new <user>')
    .description('issue another key to a user (printed once, alone on the last line)')
    .option('--days <n>', 'days until the key expires', String(DEFAULT_KEY_DAYS))
    .action(async (userName: string, opts: { days: string }, command: Command) => {
      const days = parseDays(opts.days, '--days');
      await withLikeness(command, async (likeness) => {
        const issued = await likeness.accounts.newKey(userName, days, cliActor());
        console.log(`API key ${issued.keyPrefix} expires ${issued.keyExpiresAt}; it is shown once, store it now:`);
        console.log(issued.key);
      });
    });

  key.command('revoke <prefix>')
    .description('revoke a key at once, by its prefix (the part after lk_)')
    .action(async (prefix: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        await likeness.accounts.revokeKey(prefix, cliActor());
        console.log(`API key ${prefix} revoked`);
      });
    });
}
