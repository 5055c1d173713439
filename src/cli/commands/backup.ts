import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { LikenessError } from '../../errors.ts';
import type { RightsCarriedOver } from '../../services/backup/ledger-replay.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerBackup(program: Command): void {
  program.command('backup <dir>')
    .description('copy the store (SQLite online backup) and the index files into a new folder, while in use')
    .action(async (dir: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const { writeBackup } = await import('../../repositories/files/backup-files.ts');
        const indexes = await likeness.indexes();
        await indexes.save();
        const manifest = await writeBackup(likeness.store, readdirSync(likeness.config.indexDir)
          .map((f) => resolve(likeness.config.indexDir, f)), resolve(dir), new Date().toISOString());
        await likeness.audit.record({ actor: cliActor(), client: null, action: 'backup', target: resolve(dir), details: { takenAt: manifest.takenAt } });
        console.log(`backup written to ${resolve(dir)} (${manifest.indexFiles.length} index files)`);
      });
    });

  program.command('restore <dir>')
    .description('replace the store and indexes with a backup, then erase again everything the erasure ledger names')
    .action(async (dir: string, _opts, command: Command) => {
      // Loaded for this command only, so that other commands start without them.
      const [{ openLikeness }, { readBackupManifest, replaceWithBackup }, { SqliteStore }, { carryOver, replayLedger }] = await Promise.all([
        import('../../composition.ts'), import('../../repositories/files/backup-files.ts'),
        import('../../repositories/sqlite/sqlite-store.ts'), import('../../services/backup/ledger-replay.ts'),
      ]);
      const backup = resolve(dir);
      readBackupManifest(backup);
      const { data, store } = command.optsWithGlobals<{ data?: string; store?: string }>();
      const config = loadConfig({ dataDir: data, store });
      if (config.store.kind !== 'sqlite') {
        throw new LikenessError('LIKENESS_BAD_INPUT', 'likeness restore replaces a SQLite data directory only: a PostgreSQL store is restored '
          + 'with pg_restore, and its erasure ledger must then be applied again (docs/scaling.md, "Physical erasure on PostgreSQL")');
      }
      let carried: RightsCarriedOver = { ledger: [], suppression: [] };
      if (existsSync(config.storeFile)) {
        const current = await SqliteStore.open(config.storeFile);
        carried = await carryOver(current);
        await current.close();
      }
      replaceWithBackup(backup, config);
      const likeness = await openLikeness(config);
      try {
        const outcome = await replayLedger(likeness.store, await likeness.faces(), await likeness.indexes(), carried);
        await likeness.audit.record({ actor: cliActor(), client: null, action: 'backup.restore', target: backup, details: { ...outcome } });
        console.log(`restored from ${backup}: ${outcome.ledgerEntries} ledger entries applied, ${outcome.facesErasedAgain} face(s) erased again, `
          + `${outcome.suppressionEntriesRestored} suppression entries put back, ${outcome.galleriesRebuilt} index(es) rebuilt`);
      } finally {
        await likeness.close();
      }
    });
}
