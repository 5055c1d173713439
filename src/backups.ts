import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildOptions, Likeness } from './composition.ts';
import type { Config } from './config.ts';
import { LikenessError } from './errors.ts';
import { backupAuditHead, readBackupManifest, replaceWithBackup, writeBackup, type BackupManifest } from './repositories/files/backup-files.ts';
import { isPgDumpArchive } from './repositories/postgres/pg-restore.ts';
import { SqliteStore } from './repositories/sqlite/sqlite-store.ts';
import { carryOver, type ReplayOutcome, type RightsCarriedOver } from './services/backup/ledger-replay.ts';
import { refuseUnfinishedRestore, thisProcess } from './repositories/files/restore-journal.ts';
import { journalledRestore, journalToResume } from './restore-finish.ts';

// Backup and restore are wiring as much as work: they replace the store under the composition
// root, so they live beside it (docs/architecture.md, "Erasure" and "Audit log").

/** Copies the store and index files into a new folder while in use; audited by `actor`. */
export async function backUp(likeness: Likeness, dir: string, actor: string): Promise<BackupManifest> {
  const target = resolve(dir);
  await (await likeness.indexes()).detached?.save();
  const indexFiles = readdirSync(likeness.config.indexDir).map((f) => resolve(likeness.config.indexDir, f));
  const manifest = await writeBackup(likeness.store, indexFiles, target, new Date().toISOString());
  await likeness.audit.record({ actor, client: null, action: 'backup', target, details: { takenAt: manifest.takenAt } });
  return manifest;
}

/**
 * Replaces a SQLite data directory's store and indexes with a backup's (a PostgreSQL store's
 * database with its pg_dump archive: restorePostgres). What the replaced store
 * recorded after the backup (audit entries, erasure ledger, suppression list) is carried over, the
 * ledger is applied again and a `restore` entry closes the chain; a backup that is not a past state
 * of this store's audit chain is refused before anything is replaced.
 */
export async function restore(config: Config, dir: string, actor: string, options: Pick<BuildOptions, 'policyFile'> = {}): Promise<ReplayOutcome> {
  refuseUnfinishedRestore(config.dataDir);
  const backup = resolve(dir);
  const manifest = readBackupManifest(backup);
  if (config.store.kind === 'postgres') {
    // Loaded only for PostgreSQL, so a SQLite restore starts without the pg driver.
    const { restorePostgres } = await import('./restore-postgres.ts');
    return restorePostgres({ ...config, store: config.store }, backup, manifest, actor, options);
  }
  if (isPgDumpArchive(join(backup, manifest.store))) {
    throw new LikenessError('LIKENESS_BAD_INPUT', `${backup} holds a pg_dump archive of a PostgreSQL store: restore it with --store set to that database`);
  }
  const backupHead = backupAuditHead(backup);
  let carried: RightsCarriedOver = { ledger: [], suppression: [], audit: [] };
  if (existsSync(config.storeFile)) {
    const current = await SqliteStore.open(config.storeFile);
    try {
      carried = await carryOver(current, backupHead);
    } finally {
      await current.close();
    }
  }
  return journalledRestore(config, options, { backup, store: config.storeFile, process: thisProcess(), actor, backupHead, carried },
    async () => replaceWithBackup(backup, config));
}

/**
 * Finishes a restore whose process was killed or failed after its journal was written: the store
 * is replaced with the backup again (the first replacement may not have been whole) and the
 * journalled carry-over written back, as the restore would have done.
 */
export async function resumeRestore(config: Config, options: Pick<BuildOptions, 'policyFile'> = {}): Promise<ReplayOutcome & { backup: string }> {
  const { store } = config;
  if (store.kind === 'postgres') {
    const { resumePostgres } = await import('./restore-postgres.ts');
    return resumePostgres({ ...config, store }, options);
  }
  const journal = await journalToResume(config, config.storeFile, async (backup) => backupAuditHead(backup));
  const outcome = await journalledRestore(config, options, { ...journal, process: thisProcess() }, async () => replaceWithBackup(journal.backup, config));
  return { ...outcome, backup: journal.backup };
}
