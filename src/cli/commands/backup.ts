import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerBackup(program: Command): void {
  program.command('backup <dir>')
    .description('copy the store (SQLite online backup) and the index files into a new folder, while in use')
    .action(async (dir: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const { backUp } = await import('../../backups.ts');
        const manifest = await backUp(likeness, dir, cliActor());
        console.log(`backup written to ${resolve(dir)} (${manifest.indexFiles.length} index files)`);
      });
    });

  program.command('restore <dir>')
    .description('replace the store and indexes with a backup, carry over the audit log, ledger and suppression list made since, and erase again everything the ledger names')
    .action(async (dir: string, _opts, command: Command) => {
      const { data, store, policy } = command.optsWithGlobals<{ data?: string; store?: string; policy?: string }>();
      // Loaded for this command only, so that other commands start without the store and the engine.
      const [{ restore }, { loadConfig }] = await Promise.all([import('../../backups.ts'), import('../../config.ts')]);
      const outcome = await restore(loadConfig({ dataDir: data, store }), dir, cliActor(), { policyFile: policy });
      console.log(`restored from ${resolve(dir)}: ${outcome.auditEntriesCarried} audit entries carried over, ${outcome.ledgerEntries} ledger entries applied, `
        + `${outcome.facesErasedAgain} face(s) erased again, ${outcome.suppressionEntriesRestored} suppression entries put back, ${outcome.galleriesRebuilt} index(es) rebuilt`);
    });
}
