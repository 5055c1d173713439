// npm run test:postgres: runs every *.pgtest.ts under src/ and test/ against real PostgreSQL.
//
// Environment given to the tests (names and meaning in test/postgres/env.ts):
//   LIKENESS_TEST_POSTGRES_URL        one node (the coordinator of the shards below)
//   LIKENESS_TEST_POSTGRES_SHARDS     comma-separated URLs: coordinator first, then the shards
//   LIKENESS_TEST_POSTGRES_ADMIN_URL  superuser on the node of LIKENESS_TEST_POSTGRES_URL
//   LIKENESS_TEST_POSTGRES_DATA_DIR   data directory of that node
//
// When LIKENESS_TEST_POSTGRES_URL is already set, the tests run against the clusters it names and
// nothing is installed or started. Otherwise, as root, it installs PostgreSQL 15 and pgvector
// (scripts/postgres/install.sh), starts a coordinator and three shard clusters in a temp dir,
// runs the tests, and stops and deletes the clusters, also on failure or Ctrl-C. Not root and no
// URL: it prints why it skipped and exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  POSTGRES_ADMIN_URL_ENV, POSTGRES_DATA_DIR_ENV, POSTGRES_SHARDS_ADMIN_ENV, POSTGRES_SHARDS_ENV, POSTGRES_URL_ENV,
} from '../../test/postgres/env.ts';
import { startClusters, type Clusters } from './clusters.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARD_NODES = 3;

function pgTestFiles(): string[] {
  const files: string[] = [];
  for (const top of ['src', 'test']) {
    for (const entry of readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.pgtest.ts') && !entry.includes('node_modules')) files.push(join(top, entry));
    }
  }
  return files.sort();
}

// A connection a test forgets to close must not hold the clusters (and CI) until its time limit.
// (--test-force-exit came with Node 20.14 and 22.)
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const FORCE_EXIT = major > 20 || (major === 20 && minor >= 14) ? ['--test-force-exit'] : [];

// One file at a time: the files share the clusters, whose WAL is cluster-wide, and a file that
// checks what its own writes left in pg_wal must not run while another switches and removes segments.
const ONE_FILE_AT_A_TIME = ['--test-concurrency=1'];

function runTests(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...ONE_FILE_AT_A_TIME, ...FORCE_EXIT, ...files], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  // `npm run test:postgres -- FILE...` runs only those files.
  const named = process.argv.slice(2);
  const files = named.length > 0 ? named : pgTestFiles();
  if (files.length === 0) {
    console.log('test:postgres: no *.pgtest.ts file under src/ or test/');
    return 0;
  }

  if (process.env[POSTGRES_URL_ENV]) {
    console.log(`test:postgres: using the clusters of ${POSTGRES_URL_ENV}`);
    return runTests(files, process.env);
  }
  if (process.getuid?.() !== 0) {
    console.log(`test:postgres: skipped: installing PostgreSQL and starting clusters needs root; ` +
      `or set ${POSTGRES_URL_ENV} (and ${POSTGRES_SHARDS_ENV}) to clusters of your own`);
    return 0;
  }

  const install = spawnSync('bash', [join(ROOT, 'scripts/postgres/install.sh')], { stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('test:postgres: scripts/postgres/install.sh failed');
    return 1;
  }

  let clusters: Clusters | undefined;
  let interrupted = false;
  // The test runner and the start-up commands get Ctrl-C too (same process group): once they end,
  // the finally below stops whatever was started. Exiting here would leave clusters running.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`test:postgres: ${signal}: stopping the clusters`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = Date.now();
    clusters = await startClusters({ nodes: 1 + SHARD_NODES });
    const [coordinator] = clusters.nodes;
    console.log(`test:postgres: ${clusters.nodes.length} clusters up in ${Date.now() - started} ms ` +
      `(ports ${clusters.nodes.map((n) => n.port).join(', ')}); running ${files.map((f) => relative('.', f)).join(', ')}`);
    if (interrupted) return 130;
    const code = await runTests(files, {
      ...process.env,
      [POSTGRES_URL_ENV]: coordinator!.url,
      [POSTGRES_SHARDS_ENV]: clusters.nodes.map((n) => n.url).join(','),
      [POSTGRES_ADMIN_URL_ENV]: coordinator!.adminUrl,
      [POSTGRES_SHARDS_ADMIN_ENV]: clusters.nodes.map((n) => n.adminUrl).join(','),
      [POSTGRES_DATA_DIR_ENV]: coordinator!.dataDir,
    });
    return interrupted ? 130 : code;
  } catch (error) {
    if (interrupted) return 130;
    throw error;
  } finally {
    await clusters?.stop();
  }
}

process.exitCode = await main();
