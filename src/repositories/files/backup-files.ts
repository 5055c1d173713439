import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';

const STORE_FILE = 'likeness.db';
const INDEX_DIR = 'index';
const MANIFEST = 'backup.json';

export interface BackupManifest {
  format: 1;
  takenAt: string;
  store: string;
  indexFiles: string[];
}

/**
 * A backup folder: the store copied with SQLite's online backup API, the index files beside it,
 * and a manifest. The index files are a convenience only: a restore rebuilds every index from
 * the store after re-applying the erasure ledger.
 */
export async function writeBackup(store: Store, indexFiles: readonly string[], dir: string, takenAt: string): Promise<BackupManifest> {
  mkdirSync(join(dir, INDEX_DIR), { recursive: true });
  if (existsSync(join(dir, STORE_FILE))) throw new LikenessError('LIKENESS_CONFLICT', `${dir} already holds a backup`);
  await store.backup(join(dir, STORE_FILE));
  const copied = indexFiles.filter((f) => existsSync(f) && !f.endsWith('.tmp')).map((f) => {
    copyFileSync(f, join(dir, INDEX_DIR, basename(f)));
    return join(INDEX_DIR, basename(f));
  });
  const manifest: BackupManifest = { format: 1, takenAt, store: STORE_FILE, indexFiles: copied };
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

export function readBackupManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file) || !existsSync(join(dir, STORE_FILE))) throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `${dir} is not a likeness backup (no ${MANIFEST} or ${STORE_FILE})`);
  return JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
}

/** Replaces the store and index files of a data directory with a backup's; nothing may have them open. */
export function replaceWithBackup(dir: string, target: { storeFile: string; indexDir: string }): void {
  const manifest = readBackupManifest(dir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target.storeFile}${suffix}`, { force: true });
  copyFileSync(join(dir, manifest.store), target.storeFile);
  rmSync(target.indexDir, { recursive: true, force: true });
  mkdirSync(target.indexDir, { recursive: true });
  for (const f of readdirSync(join(dir, INDEX_DIR))) copyFileSync(join(dir, INDEX_DIR, f), join(target.indexDir, f));
}

/** The last audit entry in a backup's store, read without writing to it; null for an empty chain. */
export function backupAuditHead(dir: string): { seq: number; hash: string } | null {
  const db = new BetterSqlite3(join(dir, readBackupManifest(dir).store), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  } finally {
    db.close();
  }
}
