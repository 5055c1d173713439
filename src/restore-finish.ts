import { buildLikeness, type BuildOptions } from './composition.ts';
import type { Config } from './config.ts';
import { LikenessError } from './errors.ts';
import { clearRestoreJournal, readRestoreJournal, restoreRunning, writeRestoreJournal, type RestoreJournal } from './repositories/files/restore-journal.ts';
import { replayLedger, type ReplayOutcome } from './services/backup/ledger-replay.ts';

/**
 * Every restore, whichever store it replaces (docs/architecture.md, "Erasure survives a restore"):
 * what must be carried over is journalled in the data directory before `replace` touches the store,
 * so a process killed at any point after can be finished with `likeness restore --resume`, and
 * until then nothing opens the replaced store (buildLikeness refuses). A first replacement that
 * fails having replaced nothing (`atomic`: PostgreSQL's single transaction) removes the journal
 * again, so a refused backup leaves the store as it was and open.
 */
export async function journalledRestore(config: Config, options: Pick<BuildOptions, 'policyFile'>, journal: RestoreJournal,
  replace: () => Promise<void>, { atomic = false } = {}): Promise<ReplayOutcome> {
  writeRestoreJournal(config.dataDir, journal);
  try {
    await replace();
  } catch (error) {
    if (atomic) clearRestoreJournal(config.dataDir);
    throw error;
  }
  return finishRestore(config, options, journal);
}

/**
 * The journal of the interrupted restore to resume: refused while its process still runs, or when
 * the store named now is not the one it was replacing, or the backup folder no longer holds the
 * backup it was restoring (`backupHead` reads the folder's audit head).
 */
export async function journalToResume(config: Config, store: string,
  backupHead: (backup: string) => Promise<{ seq: number; hash: string } | null>): Promise<RestoreJournal> {
  const journal = await readRestoreJournal(config.dataDir);
  const running = restoreRunning(config.dataDir);
  if (running) throw new LikenessError('LIKENESS_CONFLICT', `The restore into ${config.dataDir} is still running (process ${running.pid}): wait for it to finish`);
  if (journal.store !== store) {
    throw new LikenessError('LIKENESS_CONFLICT', `The interrupted restore was into ${journal.store}, not ${store}: resume it with the same --store`);
  }
  const head = await backupHead(journal.backup);
  if (head?.seq !== journal.backupHead?.seq || head?.hash !== journal.backupHead?.hash) {
    throw new LikenessError('LIKENESS_CONFLICT', `${journal.backup} no longer holds the backup the interrupted restore was restoring (its audit chain ends elsewhere): put that backup back there to resume`);
  }
  return journal;
}

/**
 * The end of every restore: the program is built on the restored store, what was carried over is
 * written back and the ledger's faces erased again, and a `restore` entry closes the audit chain.
 * Each step is idempotent (entries already written back are skipped), so a resumed restore may
 * repeat any of them; the journal goes last, once the store is closed and so flushed to disk.
 */
export async function finishRestore(config: Config, options: Pick<BuildOptions, 'policyFile'>, journal: RestoreJournal): Promise<ReplayOutcome> {
  const likeness = await buildLikeness(config, { ...options, finishingRestore: true });
  let outcome: ReplayOutcome;
  try {
    outcome = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), journal.carried, journal.backupHead);
    await likeness.audit.record({ actor: journal.actor, client: null, action: 'restore', target: journal.backup, details: { ...outcome, backupHead: journal.backupHead } });
  } finally {
    await likeness.close();
  }
  clearRestoreJournal(config.dataDir);
  return outcome;
}
