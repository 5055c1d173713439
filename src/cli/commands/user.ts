import type { Command } from 'commander';
import { ROLES } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import { DEFAULT_KEY_DAYS } from '../../services/accounts/accounts-service.ts';
import { cliActor, localOperator } from '../operator.ts';
import { readSecret } from '../read-secret.ts';
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

  user.command('password <user>')
    .description('set a person\'s password for the web UI, read at a prompt or from stdin (never from the command line); ends their sessions')
    .action(async (name: string, _opts, command: Command) => {
      const password = await readSecret(`Password for ${name}: `);
      await withLikeness(command, async (likeness) => {
        const changed = await likeness.credentials.setPassword(localOperator(), name, password);
        console.log(`password of ${changed.name} set; their open sessions are ended`);
      });
    });

  user.command('totp <user>')
    .description('enrol a person\'s second factor: prints the otpauth:// URI for their authenticator app and ten recovery codes, once')
    .option('--reset', 'replace a second factor already enrolled (a lost phone): the old secret and codes stop working')
    .action(async (name: string, opts: { reset?: boolean }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const enrolled = opts.reset
          ? await likeness.credentials.resetSecondFactor(localOperator(), name)
          : await likeness.credentials.enrolSecondFactor(localOperator(), name);
        console.log(`second factor of ${enrolled.user.name} ${opts.reset ? 'replaced' : 'enrolled'}; shown once, hand it over now.`);
        console.log('Authenticator app (scan as a QR code, or type the secret):');
        console.log(enrolled.uri);
        console.log(`secret: ${enrolled.secret}`);
        console.log('Recovery codes, each good for one sign-in without the app:');
        for (const code of enrolled.recoveryCodes) console.log(code);
      });
    });
}
