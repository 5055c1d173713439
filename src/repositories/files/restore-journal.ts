import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../domain/accounts.ts';
import type { ErasureLedgerEntry, SuppressionEntry } from '../../domain/subjects.ts';
import { LikenessError } from '../../errors.ts';

const JOURNAL = 'restore-pending.json';

/**
 * What a restore must still do once the store is replaced, kept on disk from before the replacement
 * until the restore is finished (docs/architecture.md, "Erasure survives a restore"): a process
 * killed in between would otherwise lose the audit entries, ledger and suppression list made since
 * the backup, and the faces the lost ledger named would be searchable again.
 */
export interface RestoreJournal {
  /** The backup folder being restored, resolved. */
  backup: string;
  /** The store it replaces (SQLite file, or PostgreSQL URL without its password): a resume must be into the same. */
  store: string;
  /** The process restoring: while it runs, a resume would replace the store under it. */
  process: { pid: number; host: string };
  actor: string;
  backupHead: { seq: number; hash: string } | null;
  carried: {
    ledger: ErasureLedgerEntry[];
    suppression: SuppressionEntry[];
    audit: AuditEntry[];
  };
}

type StoredSuppression = Omit<SuppressionEntry, 'template'> & { template: string };

export function restorePending(dataDir: string): boolean {
  return existsSync(join(dataDir, JOURNAL));
}

/**
 * Nothing but the restore's own end opens a store whose restore is not finished: the backup's store
 * on disk may still hold the faces erased since, and a new restore would read its carry-over from
 * it and so lose the journalled one.
 */
export function refuseUnfinishedRestore(dataDir: string): void {
  if (!restorePending(dataDir)) return;
  const running = restoreRunning(dataDir);
  throw new LikenessError('LIKENESS_RESTORE_UNFINISHED', running
    ? `A restore into ${dataDir} is in progress (process ${running.pid}): wait for it to finish`
    : `A restore into ${dataDir} was interrupted before it put back the erasures and audit entries made since its backup: run likeness restore --resume`);
}

/** The process of the journal's restore, if it still runs on this host. */
export function restoreRunning(dataDir: string): { pid: number } | undefined {
  let owner: RestoreJournal['process'] | undefined;
  try {
    owner = (JSON.parse(readFileSync(join(dataDir, JOURNAL), 'utf8')) as Partial<RestoreJournal>).process;
  } catch {
    return undefined;
  }
  if (!owner || owner.host !== hostname() || owner.pid === process.pid) return undefined;
  try {
    process.kill(owner.pid, 0);
    return { pid: owner.pid };
  } catch (error) {
    // EPERM: a process of another user holds the number, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? { pid: owner.pid } : undefined;
  }
}

/** The journal's process: this one, on this host. */
export function thisProcess(): RestoreJournal['process'] {
  return { pid: process.pid, host: hostname() };
}

/** Written whole or not at all: to a temporary file, flushed, then renamed over the name and the folder flushed. */
export function writeRestoreJournal(dataDir: string, journal: RestoreJournal): void {
  const file = join(dataDir, JOURNAL);
  const suppression: StoredSuppression[] = journal.carried.suppression.map((e) => ({ ...e, template: Buffer.from(e.template.buffer, e.template.byteOffset, e.template.byteLength).toString('base64') }));
  const text = JSON.stringify({ format: 1, ...journal, carried: { ...journal.carried, suppression } });
  // A restore may be the first thing a data directory sees.
  mkdirSync(dataDir, { recursive: true });
  const fd = openSync(`${file}.tmp`, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${file}.tmp`, file);
  syncFolder(dataDir);
}

export function readRestoreJournal(dataDir: string): RestoreJournal {
  const file = join(dataDir, JOURNAL);
  if (!existsSync(file)) throw new LikenessError('LIKENESS_NOT_FOUND', `No interrupted restore to resume in ${dataDir}`);
  let parsed: Omit<RestoreJournal, 'carried'> & { format?: unknown; carried: Omit<RestoreJournal['carried'], 'suppression'> & { suppression: StoredSuppression[] } };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file} is not a readable restore journal: the store may be the backup's, without the erasures made since; `
      + 'restore it again from that backup once the file is removed, then erase again what was erased since', { cause: error });
  }
  if (parsed.format !== 1 || typeof parsed.backup !== 'string' || !parsed.carried) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file} is not a restore journal of this version`);
  }
  const suppression = parsed.carried.suppression.map((e) => {
    const bytes = Buffer.from(e.template, 'base64');
    return { ...e, template: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
  });
  return { backup: parsed.backup, store: parsed.store, process: parsed.process, actor: parsed.actor, backupHead: parsed.backupHead, carried: { ...parsed.carried, suppression } };
}

export function clearRestoreJournal(dataDir: string): void {
  rmSync(join(dataDir, JOURNAL), { force: true });
  syncFolder(dataDir);
}

function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
