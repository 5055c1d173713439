import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LikenessError } from '../../errors.ts';
import { clientConnection, findPgClientTool } from './pg-dump.ts';

const run = promisify(execFile);

const HOW_TO = 'install the PostgreSQL client tools (e.g. apt-get install postgresql-client) so that pg_restore is on the PATH';

// pg_dump's custom format starts with these bytes; a SQLite backup starts with "SQLite format 3".
const ARCHIVE_MAGIC = 'PGDMP';

// Longest seq or hash kept while reading the archive's audit log: both are short, a longer one is not an entry of ours.
const MAX_KEPT_FIELD = 128;

/** Whether `file` is an archive in pg_dump's custom format, as PostgresStore.backup() writes. */
export function isPgDumpArchive(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(ARCHIVE_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === ARCHIVE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function pgRestore(): string {
  const tool = findPgClientTool('pg_restore');
  if (!tool) throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_restore was not found: ${HOW_TO}`);
  return tool;
}

function failed(what: string, error: unknown): LikenessError {
  const e = error as { code?: unknown; stderr?: string; message: string };
  if (e.code === 'ENOENT') return new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_restore was not found: ${HOW_TO}`, { cause: error });
  return new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_restore failed to ${what}: ${(e.stderr || e.message).trim()}`, { cause: error });
}

/**
 * The last audit entry in an archive, read without restoring it; null for an empty chain. The
 * audit log's data is streamed through pg_restore and only its seq and hash columns are kept,
 * so an archive of any size is read in bounded memory.
 */
export async function archiveAuditHead(file: string): Promise<{ seq: number; hash: string } | null> {
  const child = spawn(pgRestore(), ['--data-only', '--table=audit_log', '--file=-', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  exited.catch(() => undefined);
  const rows = new CopyRowsReader();
  try {
    for await (const chunk of child.stdout) rows.push(chunk as Buffer);
  } catch (error) {
    child.kill();
    throw error;
  }
  const code = await exited.catch((error: unknown) => {
    throw failed('read the backup\'s audit log', error);
  });
  if (code !== 0) throw failed('read the backup\'s audit log', { stderr, message: `exit code ${code}` });
  return rows.head();
}

/**
 * Reads the text pg_restore prints for one table's data: SQL lines, then `COPY t (cols) FROM stdin;`,
 * then one line per row with tab-separated fields (a tab or newline inside a value is escaped),
 * then `\.`. Of each row only the seq and hash fields are kept, so no row is ever held whole.
 */
class CopyRowsReader {
  private inCopy = false;
  private header = '';
  private seqColumn = -1;
  private hashColumn = -1;
  private field = 0;
  private seq = '';
  private hash = '';
  private lineStart = true;
  private endMarker = '';
  private best: { seq: number; hash: string } | null = null;

  push(chunk: Buffer): void {
    for (const byte of chunk) {
      const c = String.fromCharCode(byte);
      if (!this.inCopy) this.readHeader(c);
      else this.readRow(c);
    }
  }

  head(): { seq: number; hash: string } | null {
    return this.best;
  }

  private readHeader(c: string): void {
    if (c !== '\n') {
      if (this.header.length < 64 * 1024) this.header += c;
      return;
    }
    const copy = /^COPY \S+ \(([^)]*)\) FROM stdin;$/.exec(this.header);
    this.header = '';
    if (!copy) return;
    const columns = copy[1]!.split(',').map((name) => name.trim().replace(/^"|"$/g, ''));
    this.seqColumn = columns.indexOf('seq');
    this.hashColumn = columns.indexOf('hash');
    if (this.seqColumn < 0 || this.hashColumn < 0) {
      throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', 'the backup\'s audit_log has no seq or hash column: it is not a likeness store');
    }
    this.inCopy = true;
    this.lineStart = true;
  }

  private readRow(c: string): void {
    if (this.lineStart) this.endMarker = '';
    if (c === '\n') {
      if (this.endMarker === '\\.') this.inCopy = false;
      else this.endRow();
      this.field = 0;
      this.seq = '';
      this.hash = '';
      this.lineStart = true;
      return;
    }
    this.lineStart = false;
    if (this.endMarker.length < 3) this.endMarker += c;
    if (c === '\t') {
      this.field++;
      return;
    }
    if (this.field === this.seqColumn && this.seq.length < MAX_KEPT_FIELD) this.seq += c;
    else if (this.field === this.hashColumn && this.hash.length < MAX_KEPT_FIELD) this.hash += c;
  }

  private endRow(): void {
    const seq = Number(this.seq);
    if (!Number.isSafeInteger(seq)) return;
    if (!this.best || seq > this.best.seq) this.best = { seq, hash: this.hash };
  }
}

/**
 * The archive's table of contents, less what belongs to the server rather than to the store: the
 * extensions (owned by a superuser, installed once per database) and their comments, and the
 * grants on PostgreSQL's own objects (pg_catalog, e.g. EXECUTE on pg_switch_wal(), given by a
 * superuser). Restoring those as the store's role would fail, and the target already has them.
 */
function storeEntries(list: string): { entries: string; sharded: boolean } {
  const lines = list.split('\n');
  const serverOwned = /^\d+; \d+ \d+ [A-Z ]+? (-|pg_catalog) /;
  const sharded = lines.some((line) => /^\d+; \d+ \d+ (FOREIGN TABLE|SERVER|USER MAPPING) /.test(line));
  return { entries: lines.filter((line) => !serverOwned.test(line)).join('\n'), sharded };
}

/** What of an archive restores as a store (applyRestorePlan), checked before anything is touched. */
export interface RestorePlan { file: string; entries: string }

export async function restorePlan(file: string): Promise<RestorePlan> {
  let list: string;
  try {
    ({ stdout: list } = await run(pgRestore(), ['--list', file], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    throw failed('read the backup', error);
  }
  const { entries, sharded } = storeEntries(list);
  if (sharded) {
    throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', 'the backup is of a coordinator whose faces are on shards (foreign tables): '
      + 'the shards\' rows are not in it, so it cannot be restored as a store');
  }
  return { file, entries };
}

/**
 * Replaces the store in the database of `url` with the archive's, in one transaction: every
 * object of the archive is dropped if it exists and created again with the archive's rows, so
 * a failure leaves the database as it was. The objects are created owned by the role of `url`.
 */
export async function applyRestorePlan(url: string, plan: RestorePlan): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'likeness-restore-'));
  try {
    const useList = join(dir, 'entries.list');
    writeFileSync(useList, plan.entries, { mode: 0o600 });
    const { dbname, env } = clientConnection(url);
    await run(pgRestore(), ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-password',
      `--use-list=${useList}`, `--dbname=${dbname}`, plan.file], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw failed('restore the backup', error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
