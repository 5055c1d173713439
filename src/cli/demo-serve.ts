// Serves the demo gallery with the web UI: makes the demo data if it is missing, gives a demo
// user every role with a one-day key, prints the address and the key, and runs `likeness serve`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config.ts';

const data = resolve(process.env.LIKENESS_DEMO_DATA ?? join(PROJECT_ROOT, 'likeness-data', 'demo'));
const cli = join(PROJECT_ROOT, 'bin', 'likeness.js');
const port = process.env.PORT ?? '8080';

function likeness(...args: string[]): string {
  return execFileSync(process.execPath, [cli, '--data', data, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

if (!existsSync(join(data, 'likeness.db'))) {
  const demo = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'demo.ts')], { stdio: 'inherit' });
  // The demo printed its error; serving a half-made gallery would hide it.
  if (demo.status !== 0) process.exit(demo.status || 1);
}
// The demo client runs this likeness: its operator and DPO roles act for the controller (docs/architecture.md, "Authorisation").
const policyFile = join(data, 'likeness.policy.yaml');
if (!existsSync(policyFile)) writeFileSync(policyFile, 'clients:\n  controller: demo-client\n');
if (!likeness('client', 'list').split('\n').some((line) => line.startsWith('demo-client\t'))) {
  likeness('client', 'add', 'demo-client', '--type', 'law-enforcement', '--jurisdiction', 'FR');
  likeness('client', 'grant', 'demo-client', '--gallery', 'default');
}
let issued: string;
try {
  issued = likeness('key', 'new', 'demo', '--days', '1');
} catch {
  issued = likeness('user', 'add', 'demo', '--client', 'demo-client', '--role', 'investigator,operator,supervisor,auditor,dpo', '--key-days', '1');
}
const key = issued.trim().split('\n').pop()!;

console.log(`\nlikeness web UI: http://127.0.0.1:${port}/`);
console.log('Sign in with this demo key (every role, valid for one day):');
console.log(`  ${key}`);
console.log('Try a photo from samples/probes/. Ctrl-C stops the server.\n');
const server = spawn(process.execPath, [cli, '--data', data, 'serve', '--port', port], {
  stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LIKENESS_LOG_LEVEL: process.env.LIKENESS_LOG_LEVEL ?? 'warn' },
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
