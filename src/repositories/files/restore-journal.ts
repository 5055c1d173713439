import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
    owner = readHeader(join(dataDir, JOURNAL)).process;
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

type Header = Omit<RestoreJournal, 'carried'> & { format: 1 };
type Line = { ledger: ErasureLedgerEntry } | { suppression: StoredSuppression } | { audit: AuditEntry };

/**
 * Written whole or not at all: to a temporary file, flushed, then renamed over the name and the
 * folder flushed. One JSON line per entry after a header line, written a megabyte at a time: the
 * audit entries since a backup may run to millions, more than one JavaScript string holds.
 */
export function writeRestoreJournal(dataDir: string, journal: RestoreJournal): void {
  const file = join(dataDir, JOURNAL);
  const { carried, ...rest } = journal;
  const header: Header = { format: 1, ...rest };
  const lines = function* (): Generator<string> {
    yield JSON.stringify(header);
    for (const ledger of carried.ledger) yield JSON.stringify({ ledger });
    for (const e of carried.suppression) {
      yield JSON.stringify({ suppression: { ...e, template: Buffer.from(e.template.buffer, e.template.byteOffset, e.template.byteLength).toString('base64') } });
    }
    for (const audit of carried.audit) yield JSON.stringify({ audit });
  };
  // A restore may be the first thing a data directory sees.
  mkdirSync(dataDir, { recursive: true });
  const fd = openSync(`${file}.tmp`, 'w', 0o600);
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const line of lines()) {
      chunk.push(line);
      size += line.length + 1;
      if (size >= 1 << 20) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0) writeSync(fd, chunk.join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${file}.tmp`, file);
  syncFolder(dataDir);
}

export async function readRestoreJournal(dataDir: string): Promise<RestoreJournal> {
  const file = join(dataDir, JOURNAL);
  if (!existsSync(file)) throw new LikenessError('LIKENESS_NOT_FOUND', `No interrupted restore to resume in ${dataDir}`);
  const carried: RestoreJournal['carried'] = { ledger: [], suppression: [], audit: [] };
  let header: Header | undefined;
  try {
    for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (text === '') continue;
      if (!header) {
        header = JSON.parse(text) as Header;
        if (header.format !== 1 || typeof header.backup !== 'string') throw new Error('not a restore journal of this version');
        continue;
      }
      const line = JSON.parse(text) as Line;
      if ('ledger' in line) carried.ledger.push(line.ledger);
      else if ('audit' in line) carried.audit.push(line.audit);
      else {
        const bytes = Buffer.from(line.suppression.template, 'base64');
        carried.suppression.push({ ...line.suppression, template: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) });
      }
    }
    if (!header) throw new Error('empty');
  } catch (error) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${file} is not a readable restore journal: the store may be the backup's, without the erasures made since; `
      + 'restore it again from that backup once the file is removed, then erase again what was erased since', { cause: error });
  }
  return { backup: header.backup, store: header.store, process: header.process, actor: header.actor, backupHead: header.backupHead, carried };
}

/** The header line alone: the first 64 KiB hold it (it has no entries). */
function readHeader(file: string): Partial<Header> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, read).toString('utf8');
    return JSON.parse(text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))) as Partial<Header>;
  } finally {
    closeSync(fd);
  }
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
