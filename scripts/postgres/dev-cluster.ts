// Starts throwaway PostgreSQL clusters for manual work and benchmarks, prints their URLs as
// environment lines, and keeps them until Ctrl-C, which stops and deletes them.
//
//   scripts/postgres/dev-cluster [--nodes N] [--durable] [--set name=value ...]
//
// --nodes N    N clusters: the first is the coordinator, the others shards (default 1)
// --durable    fsync and full-page writes on: use it for benchmarks
// --set        any postgresql.conf setting, e.g. --set shared_buffers=4GB
import { parseArgs } from 'node:util';
import {
  POSTGRES_ADMIN_URL_ENV, POSTGRES_DATA_DIR_ENV, POSTGRES_SHARDS_ENV, POSTGRES_URL_ENV,
} from '../../test/postgres/env.ts';
import { startClusters } from './clusters.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1' },
    durable: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
  },
});

const nodes = Number(values.nodes);
if (!Number.isInteger(nodes) || nodes < 1) {
  console.error('dev-cluster: --nodes takes a whole number >= 1');
  process.exit(2);
}
const settings: Record<string, string> = {};
for (const pair of values.set) {
  const eq = pair.indexOf('=');
  if (eq < 1) {
    console.error(`dev-cluster: --set takes name=value, not ${pair}`);
    process.exit(2);
  }
  const value = pair.slice(eq + 1);
  settings[pair.slice(0, eq)] = /^[0-9.]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

const clusters = await startClusters({ nodes, durable: values.durable, settings });
const [first] = clusters.nodes;
console.log(`export ${POSTGRES_URL_ENV}='${first!.url}'`);
if (nodes > 1) console.log(`export ${POSTGRES_SHARDS_ENV}='${clusters.nodes.map((n) => n.url).join(',')}'`);
console.log(`export ${POSTGRES_ADMIN_URL_ENV}='${first!.adminUrl}'`);
console.log(`export ${POSTGRES_DATA_DIR_ENV}='${first!.dataDir}'`);
console.error(`dev-cluster: ${nodes} cluster(s) running${values.durable ? ' (durable)' : ' (fsync off)'}; Ctrl-C stops and deletes them`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await clusters.stop();
  console.error('dev-cluster: stopped and deleted');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
// Keeps the process alive until a signal.
setInterval(() => undefined, 1 << 30);
