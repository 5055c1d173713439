import { join } from 'node:path';
import type { BuildOptions } from './composition.ts';
import type { Config } from './config.ts';
import { LikenessError } from './errors.ts';
import type { BackupManifest } from './repositories/files/backup-files.ts';
import { archiveAuditHead, isPgDumpArchive, restoreDatabase } from './repositories/postgres/pg-restore.ts';
import { PostgresStore } from './repositories/postgres/postgres-store.ts';
import { carryOver, type ReplayOutcome } from './services/backup/ledger-replay.ts';
import { journalledRestore } from './restore-finish.ts';

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
  const backupHead = await archiveAuditHead(pgDumpArchive(backup, manifest));
  // An empty database gets an empty store first, so the checks and the carry-over below are the same for it.
  const current = await PostgresStore.open(config.store.url, { create: true });
  let carried;
  try {
    await current.requirePhysicalErasure();
    carried = await carryOver(current, backupHead);
  } finally {
    await current.close();
  }
  return journalledRestore(config, options, { backup, actor, backupHead, carried }, () => replacePostgres(config.store.url, backup, manifest));
}

/** The database replaced by the backup's pg_dump archive. */
export async function replacePostgres(url: string, backup: string, manifest: BackupManifest): Promise<void> {
  await restoreDatabase(url, pgDumpArchive(backup, manifest));
}

function pgDumpArchive(backup: string, manifest: BackupManifest): string {
  const archive = join(backup, manifest.store);
  if (!isPgDumpArchive(archive)) {
    throw new LikenessError('LIKENESS_BAD_INPUT', `${backup} holds a backup of a SQLite store, not a pg_dump archive: restore it into a SQLite data directory`);
  }
  return archive;
}
