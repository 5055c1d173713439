import { buildLikeness, type BuildOptions } from './composition.ts';
import type { Config } from './config.ts';
import { clearRestoreJournal, writeRestoreJournal, type RestoreJournal } from './repositories/files/restore-journal.ts';
import { replayLedger, type ReplayOutcome } from './services/backup/ledger-replay.ts';

/**
 * Every restore, whichever store it replaces (docs/architecture.md, "Erasure survives a restore"):
 * what must be carried over is journalled in the data directory before `replace` touches the store,
 * so a process killed at any point after can be finished with `likeness restore --resume`, and
 * until then nothing opens the replaced store (buildLikeness refuses).
 */
export async function journalledRestore(config: Config, options: Pick<BuildOptions, 'policyFile'>, journal: RestoreJournal,
  replace: () => Promise<void>): Promise<ReplayOutcome> {
  writeRestoreJournal(config.dataDir, journal);
  await replace();
  return finishRestore(config, options, journal);
}

/**
 * The end of every restore: the program is built on the restored store, what was carried over is
 * written back and the ledger's faces erased again, and a `restore` entry closes the audit chain.
 * Each step is idempotent (entries already written back are skipped), so a resumed restore may
 * repeat any of them; the journal goes last.
 */
export async function finishRestore(config: Config, options: Pick<BuildOptions, 'policyFile'>, journal: RestoreJournal): Promise<ReplayOutcome> {
  const likeness = await buildLikeness(config, { ...options, finishingRestore: true });
  try {
    const outcome = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), journal.carried);
    await likeness.audit.record({ actor: journal.actor, client: null, action: 'restore', target: journal.backup, details: { ...outcome, backupHead: journal.backupHead } });
    clearRestoreJournal(config.dataDir);
    return outcome;
  } finally {
    await likeness.close();
  }
}
