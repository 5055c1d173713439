// Load benchmark of the HTTP API: 50 concurrent clients searching for 60 s (loopback only) against
// a gallery of at least 10k faces, with the real face engine on every probe and the full
// accountability path (key check, policy, quotas counted, search record and audit entry committed).
// Prints p50/p99 latency and requests/s, writes bench/results/api.json, exits non-zero on any error.
// Before the load, the engine's own floor: the same probe analysed by the same engine with every
// worker kept busy and nothing else around it; `ratioToEngineFloor` says how much of it the API keeps.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildLikeness } from '../src/composition.ts';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { defaultPolicy } from '../src/services/policy/policy.ts';
import { multipart } from '../test/helpers/multipart.ts';
import { fillGallery } from './lib/api-gallery.ts';

const { values } = parseArgs({ options: {
  connections: { type: 'string', default: '50' },
  duration: { type: 'string', default: '60' },
  faces: { type: 'string', default: '10000' },
} });
const connections = Number(values.connections);
const duration = Math.min(600, Number(values.duration));
const fixtures = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');

const dataDir = mkdtempSync(join(tmpdir(), 'likeness-bench-api-'));
const policy = defaultPolicy();
// The benchmark measures capacity, so the one benchmark user is exempt from volume limits.
policy.searches.rateLimits = { roles: {}, clients: {} };
policy.searches.dailyQuota = { clients: {} };
const likeness = await buildLikeness(loadConfig({ dataDir, env: { LIKENESS_WORKERS: String(availableParallelism()) } }), { create: true, overrides: { policy } });
const engine = await likeness.engine();
const services = likeness;
await services.accounts.addClient({ name: 'bench-police', type: 'law-enforcement', jurisdiction: 'FR' }, 'bench');
const operator = await services.accounts.addUser({ name: 'bench-operator', client: 'bench-police', roles: ['operator'] }, 'bench');
const investigator = await services.accounts.addUser({ name: 'bench-investigator', client: 'bench-police', roles: ['investigator'] }, 'bench');
const started = Date.now();
const size = await fillGallery(likeness, services.uploads, await services.authenticator.authenticate(operator.key), Number(values.faces), fixtures);
await services.accounts.grantGallery('bench-police', 'default', 'bench');
process.stderr.write(`gallery of ${size} faces ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const probe = readFileSync(join(fixtures, 'Colin_Powell_0002.jpg'));
const floorSeconds = Math.min(15, duration);
let analysed = 0;
const floorStarted = performance.now();
await Promise.all(Array.from({ length: likeness.config.workers * 2 }, async () => {
  while (performance.now() - floorStarted < floorSeconds * 1000) {
    await engine.analyse(probe, { maxFaces: 1 });
    analysed++;
  }
}));
const engineFloor = analysed / ((performance.now() - floorStarted) / 1000);
process.stderr.write(`engine floor: ${engineFloor.toFixed(1)} analyses/s of the probe\n`);
const loadBefore = loadavg()[0] ?? 0;

const app = await buildApp(services, { limits: { maxImageBytes: likeness.config.limits.maxImageBytes, maxFiles: 20 } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no TCP address');
const { payload, headers } = multipart([
  { name: 'image', filename: 'probe.jpg', data: probe },
  { name: 'caseNumber', value: 'BENCH-1' },
  { name: 'purpose', value: 'load benchmark' },
]);
const result = await autocannon({
  url: `http://127.0.0.1:${address.port}/v1/search`,
  method: 'POST',
  headers: { ...headers, authorization: `Bearer ${investigator.key}` },
  body: payload,
  connections,
  duration,
  timeout: 120,
});
await app.close();
const audit = await services.audit.verify();
const summary = {
  benchmark: 'POST /v1/search, real face engine on every probe, accountable path (auth, policy, search record and audit entry committed)',
  at: new Date().toISOString(),
  galleryFaces: size,
  connections,
  durationSeconds: duration,
  workers: likeness.config.workers,
  cores: availableParallelism(),
  requests: result.requests.total,
  requestsPerSecond: result.requests.average,
  engineFloorSearchesPerSecond: engineFloor,
  ratioToEngineFloor: result.requests.average / engineFloor,
  loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  auditEntriesVerified: audit.entries,
  auditIntact: audit.intact,
};
console.log(`${summary.requests} searches in ${duration} s over ${connections} connections against ${size} faces: `
  + `${summary.requestsPerSecond.toFixed(1)} req/s (${summary.ratioToEngineFloor.toFixed(2)} of the engine's floor, ${engineFloor.toFixed(1)}/s), p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, `
  + `errors ${summary.errors}, timeouts ${summary.timeouts}, non-2xx ${summary.non2xx}, audit chain ${audit.intact ? 'intact' : 'BROKEN'} (${audit.entries} entries)`);
mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'api.json'), JSON.stringify(summary, null, 2) + '\n');
if (summary.errors + summary.timeouts + summary.non2xx > 0 || !audit.intact) process.exitCode = 1;
// Written before closing: the results stand even if a native module trips while shutting down
// (the face engine pool's close after a run under load aborts the process at the time of writing).
await likeness.close();
rmSync(dataDir, { recursive: true, force: true });
