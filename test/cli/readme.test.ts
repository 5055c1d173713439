import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const WALKTHROUGH = '## From your own photos to a web UI for your team';
const INSTALL = '## Install the `likeness` command';

function section(title: string): string {
  const start = README.indexOf(title);
  assert.ok(start >= 0, `README has the section ${title}`);
  const end = README.indexOf('\n## ', start + title.length);
  return README.slice(start, end < 0 ? undefined : end);
}

const shellBlocks = (text: string): string[] => [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv, t: TestContext): Promise<{ code: number | null; out: string }> {
  // Its own process group, so the server the walkthrough starts in the background goes with it,
  // even when the test times out first.
  const child = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stopGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch { /* the group is gone already */ }
  };
  t.after(stopGroup);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => {
    stopGroup();
    resolve({ code, out });
  }));
}

// A newcomer's path, as the README tells it, in a folder outside the checkout, with the real models.
describe('the README walkthrough', () => {
  it('never sends anyone to npx, which would fetch an unrelated package', () => {
    assert.doesNotMatch(README, /npx\s+likeness/);
  });

  // About 20 processes, each starting the CLI and most loading the models: minutes on a busy 2-core machine.
  it('runs every command of "From your own photos to a web UI for your team" as written', { timeout: 1_500_000 }, async (t) => {
    const root = tempDir('likeness-readme-');
    assert.ok(!root.startsWith(PROJECT_ROOT));

    // The install section's link, into a prefix of this test's own instead of the machine's.
    const install = shellBlocks(section(INSTALL)).join('');
    assert.match(install, /^npm link --ignore-scripts$/m);
    const prefix = join(root, 'npm-prefix');
    const linked = spawnSync('npm', ['link', '--ignore-scripts'], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, npm_config_prefix: prefix } });
    assert.equal(linked.status, 0, linked.stderr);

    // The user's own folder: a few people's photos and a probe of one of them.
    const work = join(root, 'work');
    for (const person of ['Colin_Powell', 'Serena_Williams', 'Tony_Blair']) {
      mkdirSync(join(work, 'photos', person), { recursive: true });
      cpSync(join(PROJECT_ROOT, 'samples', 'gallery', person), join(work, 'photos', person), { recursive: true });
    }
    copyFileSync(join(PROJECT_ROOT, 'samples', 'probes', 'Colin_Powell_0009.jpg'), join(work, 'probe.jpg'));

    const blocks = shellBlocks(section(WALKTHROUGH));
    assert.ok(blocks.length >= 4);
    const port = await freePort();
    // Only the port changes: 8080 may be taken on a machine running tests.
    const script = ['set -euo pipefail', ...blocks].join('\n').replaceAll('8080', String(port));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, LIKENESS_WORKERS: '2', LIKENESS_LOG_LEVEL: 'warn' };
    delete env.LIKENESS_DATA;
    const run = await bash(script, work, env, t);
    assert.equal(run.code, 0, run.out);

    const out = run.out;
    assert.match(out, /source press-archive declared/);
    assert.match(out, /ingested \d+ images/);
    assert.match(out, /^\s+1\s+0\.\d+\s+\S*Colin_Powell\S*\.jpg/m, 'the CLI search finds the person first');
    const doc = JSON.parse(readFileSync(join(work, 'openapi.json'), 'utf8'));
    assert.match(doc.openapi, /^3\./);
    assert.match(out, /"name":"ana"/, '/v1/me answers with the key of ana');
    // curl prints bodies without a newline: the search's JSON may follow another on its line.
    const apiSearch = JSON.parse(/\{"searchId".*\}/.exec(out)?.[0] ?? 'null');
    assert.ok(apiSearch, out);
    assert.match(apiSearch.candidates[0].image.path, /Colin_Powell/);
    assert.match(out, /audit chain intact/);
    assert.match(out, /\taccess\treceived\t/, 'subject list shows the request');
    assert.ok(existsSync(join(work, 'likeness-backup')));
    assert.ok(existsSync(join(work, 'likeness-data', 'likeness.db')));
  });
});
