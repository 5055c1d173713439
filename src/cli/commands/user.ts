import type { Command } from 'commander';
import { ROLES } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import { DEFAULT_KEY_DAYS } from '../../services/accounts/accounts-service.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';
import { parseDays } from './parse-days.ts';

export function registerUser(program: Command): void {
  const user = program.command('user').description('users of client organisations, their roles and API keys');

  user.command('add <name>')
    .description('add a user and issue their first API key (printed once, alone on the last line)')
    .requiredOption('--client <name>', 'client organisation the user belongs to')
    .option('--roles <roles>', `comma separated: ${ROLES.join(', ')} (the first admin of the controller is added so)`)
    .option('--role <roles>', 'the same as --roles')
    .option('--key-days <n>', 'days until the key expires', String(DEFAULT_KEY_DAYS))
    .action(async (name: string, opts: { client: string; roles?: string; role?: string; keyDays: string }, command: Command) => {
      const keyDays = parseDays(opts.keyDays, '--key-days');
      const roles = opts.roles ?? opts.role;
      if (roles === undefined) throw new LikenessError('LIKENESS_USAGE', 'likeness user add needs --roles, e.g. --roles investigator; see likeness user add --help');
      await withLikeness(command, async (likeness) => {
        const created = await likeness.accounts.addUser({ name, client: opts.client, roles: roles.split(','), keyDays }, cliActor());
        console.log(`user ${created.user.name} added to ${created.client.name} as ${created.user.roles.join(', ')}`);
        console.log(`API key ${created.keyPrefix} expires ${created.keyExpiresAt}; it is shown once, store it now:`);
        console.log(created.key);
      });
    });
}
