import { buildLikeness, type BuildOptions } from './composition.ts';
import type { Config } from './config.ts';
import { replayLedger, type ReplayOutcome, type RightsCarriedOver } from './services/backup/ledger-replay.ts';

/**
 * The end of every restore, whichever store it replaced (docs/architecture.md, "Erasure survives a
 * restore"): the program is built on the restored store, what was carried over is written back and
 * the ledger's faces erased again, and a `restore` entry closes the audit chain.
 */
export async function finishRestore(config: Config, options: Pick<BuildOptions, 'policyFile'>, carried: RightsCarriedOver,
  entry: { actor: string; backup: string; backupHead: { seq: number; hash: string } | null }): Promise<ReplayOutcome> {
  const likeness = await buildLikeness(config, options);
  try {
    const outcome = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), carried);
    await likeness.audit.record({ actor: entry.actor, client: null, action: 'restore', target: entry.backup, details: { ...outcome, backupHead: entry.backupHead } });
    return outcome;
  } finally {
    await likeness.close();
  }
}
