import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { shellLine } from '../../src/cli/shell-words.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function demo(data: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'demo.ts')], {
    cwd: PROJECT_ROOT, env: { ...process.env, LIKENESS_DEMO_DATA: data, LIKENESS_WORKERS: '2' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const bash = (line: string) => spawnSync('bash', ['-c', line], { cwd: PROJECT_ROOT, encoding: 'utf8' });

describe('npm run demo', () => {
  it('prints arguments so that a shell reads them back as they were', () => {
    const args = ['--controller', 'likeness demo', "O'Brien & sons", '$HOME', 'a;b', '*.jpg', '', 'plain-word_1.jpg'];
    const echoed = bash(`printf '%s\\n' ${shellLine(args)}`);
    assert.equal(echoed.stdout, args.map((a) => `${a}\n`).join(''));
    assert.equal(shellLine(['--controller', 'likeness demo']), "--controller 'likeness demo'");
  });

  it('stops with a non-zero exit and the error when a step fails, and its commands paste as shown', async () => {
    const data = join(tempDir(), 'demo');
    mkdirSync(data);
    // A policy that refuses the demo's US source: the `source add` step fails.
    writeFileSync(join(data, 'likeness.policy.yaml'), 'version: 1\ncollection:\n  excludeJurisdictions: [US]\n');
    const run = await demo(data);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /likeness: LIKENESS_POLICY_DENIED: .*excluded-jurisdiction/);
    assert.match(run.stderr, /demo stopped: .*source add lfw-sample .* exited with code 2/);
    assert.doesNotMatch(run.stdout, /\$ .* ingest /, 'nothing runs after the failed step');

    const shown = run.stdout.split('\n').find((l) => l.includes(' source add '))!.replace(/^\$ /, '');
    assert.match(shown, /--controller 'likeness demo'/);
    const pasted = bash(shown);
    assert.equal(pasted.status, 2);
    assert.match(pasted.stderr, /^likeness: LIKENESS_POLICY_DENIED: /, 'the pasted line is the same command, not a usage error');
  });

  it('refuses a data directory made in another checkout instead of showing its results', async () => {
    const root = tempDir();
    const elsewhere = join(root, 'other-checkout', 'samples', 'gallery');
    cpSync(join(PROJECT_ROOT, 'samples', 'gallery', 'Tony_Blair'), join(elsewhere, 'Tony_Blair'), { recursive: true });
    const data = join(root, 'demo');
    assert.equal((await runCli(data, 'init')).code, 0);
    const declared = await runCli(data, 'source', 'add', 'lfw-sample', '--kind', 'directory', '--uri', elsewhere, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '365');
    assert.equal(declared.code, 0, declared.stderr);

    const run = await demo(data);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /demo stopped: .* was made elsewhere: its source lfw-sample reads .*other-checkout/);
    assert.doesNotMatch(run.stdout, /search|probe/);
  });
});
