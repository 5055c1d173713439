import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { LikenessError } from '../../errors.ts';
import { buildLikeness } from '../../composition.ts';
import { backupAuditHead, readBackupManifest, replaceWithBackup, writeBackup } from '../../repositories/files/backup-files.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import { carryOver, replayLedger, type RightsCarriedOver } from '../../services/backup/ledger-replay.ts';
import { cliActor } from '../operator.ts';
import { withLikeness } from '../session.ts';

export function registerBackup(program: Command): void {
  program.command('backup <dir>')
    .description('copy the store (SQLite online backup) and the index files into a new folder, while in use')
    .action(async (dir: string, _opts, command: Command) => {
      await withLikeness(command, async (likeness) => {
        const indexes = await likeness.indexes();
        await indexes.detached?.save();
        const manifest = await writeBackup(likeness.store, readdirSync(likeness.config.indexDir)
          .map((f) => resolve(likeness.config.indexDir, f)), resolve(dir), new Date().toISOString());
        await likeness.audit.record({ actor: cliActor(), client: null, action: 'backup', target: resolve(dir), details: { takenAt: manifest.takenAt } });
        console.log(`backup written to ${resolve(dir)} (${manifest.indexFiles.length} index files)`);
      });
    });

  program.command('restore <dir>')
    .description('replace the store and indexes with a backup, then erase again everything the erasure ledger names')
    .action(async (dir: string, _opts, command: Command) => {
      const backup = resolve(dir);
      readBackupManifest(backup);
      const backupHead = backupAuditHead(backup);
      const { data, store, policy } = command.optsWithGlobals<{ data?: string; store?: string; policy?: string }>();
      const config = loadConfig({ dataDir: data, store });
      if (config.store.kind !== 'sqlite') {
        throw new LikenessError('LIKENESS_BAD_INPUT', 'likeness restore replaces a SQLite data directory only: a PostgreSQL store is restored '
          + 'with pg_restore, and its erasure ledger must then be applied again (docs/scaling.md, "Physical erasure on PostgreSQL")');
      }
      let carried: RightsCarriedOver = { ledger: [], suppression: [], audit: [] };
      if (existsSync(config.storeFile)) {
        const current = await SqliteStore.open(config.storeFile);
        try {
          carried = await carryOver(current, backupHead);
        } finally {
          await current.close();
        }
      }
      replaceWithBackup(backup, config);
      const likeness = await buildLikeness(config, { policyFile: policy });
      try {
        const outcome = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), carried);
        await likeness.audit.record({ actor: cliActor(), client: null, action: 'restore', target: backup, details: { ...outcome, backupHead } });
        console.log(`restored from ${backup}: ${outcome.auditEntriesCarried} audit entries carried over, ${outcome.ledgerEntries} ledger entries applied, ${outcome.facesErasedAgain} face(s) erased again, `
          + `${outcome.suppressionEntriesRestored} suppression entries put back, ${outcome.galleriesRebuilt} index(es) rebuilt`);
      } finally {
        await likeness.close();
      }
    });
}
