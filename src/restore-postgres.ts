import { join } from 'node:path';
import type { BuildOptions } from './composition.ts';
import type { Config } from './config.ts';
import { LikenessError } from './errors.ts';
import { readBackupManifest, type BackupManifest } from './repositories/files/backup-files.ts';
import { thisProcess } from './repositories/files/restore-journal.ts';
import { describeUrl } from './repositories/postgres/connection-pool.ts';
import { applyRestorePlan, archiveAuditHead, isPgDumpArchive, restorePlan } from './repositories/postgres/pg-restore.ts';
import { PostgresStore } from './repositories/postgres/postgres-store.ts';
import { carryOver, type ReplayOutcome } from './services/backup/ledger-replay.ts';
import { journalledRestore, journalToResume } from './restore-finish.ts';

/**
 * `likeness restore` on PostgreSQL (docs/architecture.md, "Erasure survives a restore"): the
 * backup's pg_dump archive replaces the store in its database, then what the replaced store
 * recorded after the backup (audit entries, erasure ledger, suppression list) is written back in
 * one transaction, every face the ledger names is deleted again and physically erased (the first
 * compaction of a process always runs, see pgvector-gallery-indexes.ts), and a `restore` entry
 * closes the chain. A backup that is not a past state of this store's audit chain, and a server
 * that could not erase physically afterwards, are refused before anything is replaced.
 */
export async function restorePostgres(config: Config & { store: { kind: 'postgres' } }, backup: string, manifest: BackupManifest, actor: string,
  options: Pick<BuildOptions, 'policyFile'>): Promise<ReplayOutcome> {
  const archive = pgDumpArchive(backup, manifest);
  const backupHead = await archiveAuditHead(archive);
  // An empty database gets an empty store first, so the checks and the carry-over below are the same for it.
  const current = await PostgresStore.open(config.store.url, { create: true });
  let carried;
  try {
    await current.requirePhysicalErasure();
    carried = await carryOver(current, backupHead);
  } finally {
    await current.close();
  }
  // The archive is read and checked before the journal closes the store to every other command.
  const plan = await restorePlan(archive);
  return journalledRestore(config, options, { backup, store: describeUrl(config.store.url), process: thisProcess(), actor, backupHead, carried },
    () => applyRestorePlan(config.store.url, plan), { atomic: true });
}

/** `likeness restore --resume` on PostgreSQL: the archive restored again, then the journal's carry-over. */
export async function resumePostgres(config: Config & { store: { kind: 'postgres' } }, options: Pick<BuildOptions, 'policyFile'>): Promise<ReplayOutcome & { backup: string }> {
  const journal = await journalToResume(config, describeUrl(config.store.url), async (backup) => archiveAuditHead(pgDumpArchive(backup)));
  const plan = await restorePlan(pgDumpArchive(journal.backup));
  const outcome = await journalledRestore(config, options, { ...journal, process: thisProcess() }, () => applyRestorePlan(config.store.url, plan));
  return { ...outcome, backup: journal.backup };
}

function pgDumpArchive(backup: string, manifest: BackupManifest = readBackupManifest(backup)): string {
  const archive = join(backup, manifest.store);
  if (!isPgDumpArchive(archive)) {
    throw new LikenessError('LIKENESS_BAD_INPUT', `${backup} holds a backup of a SQLite store, not a pg_dump archive: restore it into a SQLite data directory`);
  }
  return archive;
}
