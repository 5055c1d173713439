// Serves the demo gallery with the web UI: makes the demo data if it is missing, gives a demo
// user every role, a fresh password and second factor, prints the address, the password and a
// recovery code to sign in with, and runs `likeness serve`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config.ts';

const data = resolve(process.env.LIKENESS_DEMO_DATA ?? join(PROJECT_ROOT, 'likeness-data', 'demo'));
const cli = join(PROJECT_ROOT, 'bin', 'likeness.js');
const port = process.env.PORT ?? '8080';

function likeness(...args: string[]): string {
  return execFileSync(process.execPath, [cli, '--data', data, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A command that reads a secret from stdin (the password), never from its arguments. */
function likenessWithInput(input: string, ...args: string[]): string {
  return execFileSync(process.execPath, [cli, '--data', data, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
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
try {
  likeness('key', 'new', 'demo', '--days', '1');
} catch {
  likeness('user', 'add', 'demo', '--client', 'demo-client', '--role', 'investigator,operator,supervisor,auditor,dpo', '--key-days', '1');
}
// New each run: the demo's sign-in is printed on the terminal, so it should not outlive it.
const password = randomBytes(12).toString('base64url');
likenessWithInput(`${password}\n`, 'user', 'password', 'demo');
const enrolment = likeness('user', 'totp', 'demo', '--reset').trim().split('\n');
const uri = enrolment.find((line) => line.startsWith('otpauth://'))!;
const recovery = enrolment.at(-1)!;

console.log(`\nlikeness web UI: http://127.0.0.1:${port}/`);
console.log('Sign in as "demo" (every role) with this password:');
console.log(`  ${password}`);
console.log('and, as the code, the six digits of an authenticator app given this URI (a QR code of it, or its secret typed in):');
console.log(`  ${uri}`);
console.log(`or, once, this recovery code: ${recovery}`);
console.log('Try a photo from samples/probes/. Ctrl-C stops the server.\n');
const server = spawn(process.execPath, [cli, '--data', data, 'serve', '--port', port], {
  stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LIKENESS_LOG_LEVEL: process.env.LIKENESS_LOG_LEVEL ?? 'warn' },
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
