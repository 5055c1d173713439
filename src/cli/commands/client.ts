import type { Command } from 'commander';
import { CLIENT_TYPES } from '../../domain/accounts.ts';
import { cliActor } from '../operator.ts';
import { printJson } from '../output.ts';
import { withLikeness } from '../session.ts';

export function registerClient(program: Command): void {
  const client = program.command('client').description('client organisations that may use the API');

  client.command('add <name>')
    .description('add a client organisation')
    .requiredOption('--type <type>', CLIENT_TYPES.join(' | '))
    .requiredOption('--jurisdiction <code>', 'ISO 3166 code of the client (e.g. FR, US-IL)')
    .action(async (name: string, opts: { type: string; jurisdiction: string }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const created = await likeness.accounts.addClient({ name, type: opts.type, jurisdiction: opts.jurisdiction }, cliActor());
        console.log(`client ${created.name} added (${created.type}, ${created.jurisdiction})`);
      });
    });

  client.command('grant <name>')
    .description('let a client search a gallery')
    .requiredOption('--gallery <name...>', 'gallery names')
    .action(async (name: string, opts: { gallery: string[] }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const { accounts } = likeness;
        for (const gallery of opts.gallery) await accounts.grantGallery(name, gallery, cliActor());
        console.log(`client ${name} may search ${opts.gallery.join(', ')}`);
      });
    });

  client.command('list')
    .description('list client organisations')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const clients = await likeness.accounts.listClients();
        if (opts.json) return printJson(clients);
        if (clients.length === 0) return console.log('no clients');
        for (const c of clients) console.log(`${c.name}\t${c.type}\t${c.jurisdiction}`);
      }, { readOnly: true });
    });
}
