// Throwaway PostgreSQL clusters on 127.0.0.1, one per node, in a temp dir removed on stop.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NON_DURABLE_SETTINGS, baseSettings, renderSettings } from './cluster-settings.ts';
import { freePort } from './free-port.ts';
import { prepareNode } from './prepare-node.ts';

const run = promisify(execFile);

export const PG_BIN = process.env.LIKENESS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const APP_ROLE = 'likeness';
export const APP_DATABASE = 'likeness';

export interface ClusterOptions {
  /** How many independent clusters (nodes) to start. */
  nodes: number;
  /** Keep fsync and full-page writes on: for benchmarks. Tests leave it off. */
  durable?: boolean;
  /** Extra postgresql.conf settings, e.g. { shared_buffers: "'4GB'" }. */
  settings?: Record<string, string>;
}

export interface PostgresNode {
  name: string;
  port: number;
  /** The application role on the application database: what likeness and the tests connect with. */
  url: string;
  /** The superuser on the same database: for what only a superuser may do. */
  adminUrl: string;
  dataDir: string;
}

export interface Clusters {
  nodes: PostgresNode[];
  /** Stops every node (immediate shutdown) and deletes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Root may not run initdb or postgres: both run as the postgres OS user then. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function runAsServerUser(command: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(join(PG_BIN, command), args);
  try {
    await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} failed: ${e.stderr || e.stdout || e.message}`.trim(), { cause: error });
  }
}

async function serverUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startClusters(options: ClusterOptions): Promise<Clusters> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is not installed (no ${join(PG_BIN, 'initdb')}): run scripts/postgres/install.sh as root`);
  }
  const root = mkdtempSync(join(tmpdir(), 'likeness-pg-'));
  const owner = await serverUserIds();
  // mkdtemp makes the folder 0700 for root: the postgres user must be able to enter it.
  if (owner) chownSync(root, owner.uid, owner.gid);
  chmodSync(root, 0o700);

  const started: string[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(started.map((dataDir) =>
      runAsServerUser('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const password = randomBytes(12).toString('hex');
    const passwordFile = join(root, 'superuser-password');
    writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);

    const nodes: PostgresNode[] = [];
    // One after the other: initdb and start-up are disk-bound, and the machine may be small.
    for (let i = 0; i < options.nodes; i++) {
      const name = `node${i}`;
      const dataDir = join(root, name);
      const socketDir = join(root, `${name}-socket`);
      for (const dir of [dataDir, socketDir]) {
        mkdirSync(dir, { mode: 0o700 });
        if (owner) chownSync(dir, owner.uid, owner.gid);
      }
      await runAsServerUser('initdb', ['-D', dataDir, '-U', 'postgres', '--pwfile', passwordFile,
        '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync']);

      started.push(dataDir);
      const port = await startOnFreePort(dataDir, socketDir, options);
      const adminBase = `postgres://postgres:${password}@127.0.0.1:${port}`;
      await prepareNode({ adminBase, appRole: APP_ROLE, appPassword: password, appDatabase: APP_DATABASE });
      nodes.push({
        name,
        port,
        url: `postgres://${APP_ROLE}:${password}@127.0.0.1:${port}/${APP_DATABASE}`,
        adminUrl: `${adminBase}/${APP_DATABASE}`,
        dataDir,
      });
    }
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Another process may take the port between asking and binding: try a few. */
async function startOnFreePort(dataDir: string, socketDir: string, options: ClusterOptions): Promise<number> {
  // initdb's postgresql.conf stays as it is; ours is included after it and rewritten on each try.
  appendFileSync(join(dataDir, 'postgresql.conf'), "\ninclude 'likeness.conf'\n");
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const settings = {
      ...baseSettings(port, socketDir),
      ...(options.durable ? {} : NON_DURABLE_SETTINGS),
      ...options.settings,
    };
    writeFileSync(join(dataDir, 'likeness.conf'), renderSettings(settings));
    try {
      await runAsServerUser('pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
