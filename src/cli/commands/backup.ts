import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LikenessError } from '../../errors.ts';
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

  program.command('restore [dir]')
    .description('replace the store and indexes with a backup, carry over the audit log, ledger and suppression list made since, and erase again everything the ledger names')
    .option('--resume', 'finish a restore that was interrupted (killed, or failed while replacing the store): nothing opens the store until it is finished')
    .action(async (dir: string | undefined, opts: { resume?: boolean }, command: Command) => {
      if ((dir === undefined) === !opts.resume) {
        throw new LikenessError('LIKENESS_USAGE', 'likeness restore takes a backup folder, or --resume alone; see likeness restore --help');
      }
      const { data, store, policy } = command.optsWithGlobals<{ data?: string; store?: string; policy?: string }>();
      // Loaded for this command only, so that other commands start without the store and the engine.
      const [{ restore, resumeRestore }, { loadConfig }] = await Promise.all([import('../../backups.ts'), import('../../config.ts')]);
      const config = loadConfig({ dataDir: data, store });
      const { backup, outcome } = dir === undefined
        ? await resumeRestore(config, { policyFile: policy }).then((o) => ({ backup: o.backup, outcome: o }))
        : { backup: resolve(dir), outcome: await restore(config, dir, cliActor(), { policyFile: policy }) };
      console.log(`restored from ${backup}: ${outcome.auditEntriesCarried} audit entries carried over, ${outcome.ledgerEntries} ledger entries applied, `
        + `${outcome.facesErasedAgain} face(s) erased again, ${outcome.suppressionEntriesRestored} suppression entries put back, ${outcome.galleriesRebuilt} index(es) rebuilt`);
    });
}
