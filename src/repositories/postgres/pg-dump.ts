import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LikenessError } from '../../errors.ts';

const run = promisify(execFile);

const HOW_TO = 'install the PostgreSQL client tools (e.g. apt-get install postgresql-client) so that pg_dump is on the PATH, '
  + 'or back the database up with PostgreSQL\'s own tools (pg_dump -Fc, pg_basebackup, or continuous WAL archiving)';

/** pg_dump on the PATH, else the newest under Debian's /usr/lib/postgresql/<major>/bin. */
export function findPgDump(): string | undefined {
  return findPgClientTool('pg_dump');
}

/** A PostgreSQL client program (pg_dump, pg_restore) on the PATH, else the newest Debian installed. */
export function findPgClientTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  return majors.map((m) => join(root, m, 'bin', name)).find((f) => existsSync(f));
}

/**
 * A consistent copy of the database of `url` in pg_dump's custom format (restore it with
 * pg_restore), taken in one snapshot while the store stays in use. The password goes to pg_dump
 * through its environment, never on its command line where other users could read it.
 */
export async function dumpDatabase(url: string, file: string, pgDump = findPgDump()): Promise<void> {
  if (!pgDump) throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_dump was not found: ${HOW_TO}`);
  const { dbname, env } = clientConnection(url);
  try {
    await run(pgDump, ['--format=custom', '--no-password', `--file=${file}`, `--dbname=${dbname}`], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_dump was not found at ${pgDump}: ${HOW_TO}`, { cause: error });
    throw new LikenessError('LIKENESS_BACKUP_UNAVAILABLE', `pg_dump failed: ${(e.stderr || e.message).trim()}`, { cause: error });
  }
}

/**
 * How a PostgreSQL client program (pg_dump, pg_restore) reaches the database of `url`: the url
 * without its password, and an environment that gives the password instead, never on a command
 * line where other users could read it.
 */
export function clientConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  return { dbname: target.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}
