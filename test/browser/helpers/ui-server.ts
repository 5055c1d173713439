import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/config.ts';
import { base32Decode } from '../../../src/services/accounts/totp.ts';
import { runCli, runCliWithInput, startCli } from '../../helpers/run-cli.ts';
import { ensureWebBuild } from './web-build.ts';

export const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');
export const PROBES = join(PROJECT_ROOT, 'samples', 'probes');

export type Persona = 'investigator' | 'operator' | 'overseer' | 'dpo' | 'admin';

/** What a person signs in to the web UI with, enrolled through the CLI as an operator would. */
export interface Person {
  name: string;
  password: string;
  /** The TOTP secret of the otpauth:// URI `likeness user totp` printed. */
  secret: Buffer;
  /** Unused recovery codes. */
  recoveryCodes: string[];
}

export interface UiServer {
  origin: string;
  data: string;
  /** An API key per persona, for the test's own calls; "overseer" is supervisor and auditor. */
  keys: Record<Persona, string>;
  /** The persona's name, password and second factor, for signing in through the form. */
  people: Record<Persona, Person>;
  stop(): Promise<void>;
}

/** Long enough for the password rules, and holding no persona's name. */
export const TEST_PASSWORD = 'correct horse battery staple';

const ROLES: Record<Persona, string> = { investigator: 'investigator', operator: 'operator', overseer: 'supervisor,auditor', dpo: 'dpo', admin: 'admin' };

async function cli(data: string, ...args: string[]): Promise<string> {
  const run = await runCli(data, ...args);
  assert.equal(run.code, 0, `likeness ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/**
 * The real program as an operator runs it: a data directory set up through the CLI (a declared
 * directory source over some sample people, ingested with the real face models, an upload source,
 * a client granted their gallery, one user per persona, and the policy given, if any), then
 * `likeness serve` on a free port, serving the built UI. Only the personas in `signsIn` (default:
 * all) get a password and a second factor: each enrolment is two more runs of the program.
 */
export async function startUiServer(people: readonly string[], options: { policy?: string; signsIn?: readonly Persona[] } = {}): Promise<UiServer> {
  const web = await ensureWebBuild();
  // Removed by stop(), not by tempDir(): a server started in a before() hook outlives that hook.
  const dir = mkdtempSync(join(tmpdir(), 'likeness-ui-'));
  const data = join(dir, 'data');
  const photos = join(dir, 'photos');
  // The source's folder exists even when no person is put in it.
  mkdirSync(photos, { recursive: true });
  for (const person of people) {
    mkdirSync(join(photos, person), { recursive: true });
    cpSync(join(GALLERY, person), join(photos, person), { recursive: true });
  }
  await cli(data, 'init');
  // "police" runs this likeness: its operator and DPO act for the controller (docs/architecture.md,
  // "Authorisation"). The test's own policy (e.g. to turn watches on) is added; it names no clients.
  writeFileSync(join(data, 'likeness.policy.yaml'), `clients:\n  controller: police\n${options.policy ?? ''}`);
  await cli(data, 'source', 'add', 'press-archive', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
    '--jurisdiction', 'FR,DE', '--retention-days', '365', '--controller', 'Example Press Archive', '--special-category', 'substantial-public-interest');
  if (people.length > 0) await cli(data, 'ingest', photos, '--source', 'press-archive');
  // The kind the web UI uploads into; it adds no faces of its own.
  await cli(data, 'source', 'add', 'operator-uploads', '--kind', 'upload', '--uri', 'upload', '--legal-basis', 'public-task',
    '--jurisdiction', 'FR', '--retention-days', '90', '--special-category', 'substantial-public-interest');
  await cli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR');
  await cli(data, 'client', 'grant', 'police', '--gallery', 'default');
  const keys = {} as Record<Persona, string>;
  const persons = {} as Record<Persona, Person>;
  for (const persona of Object.keys(ROLES) as Persona[]) {
    const out = await cli(data, 'user', 'add', persona, '--client', 'police', '--roles', ROLES[persona]);
    keys[persona] = out.trim().split('\n').pop()!;
    if (options.signsIn && !options.signsIn.includes(persona)) {
      Object.defineProperty(persons, persona, {
        get: () => assert.fail(`${persona} has no password: name it in startUiServer's signsIn`),
      });
      continue;
    }
    const password = await runCliWithInput(data, `${TEST_PASSWORD}\n`, 'user', 'password', persona);
    assert.equal(password.code, 0, `likeness user password ${persona}: ${password.stderr}`);
    const enrolled = (await cli(data, 'user', 'totp', persona)).split('\n');
    const uri = new URL(enrolled.find((line) => line.startsWith('otpauth://'))!);
    persons[persona] = {
      name: persona, password: TEST_PASSWORD, secret: base32Decode(uri.searchParams.get('secret')!),
      recoveryCodes: enrolled.filter((line) => /^[A-Z2-7]{6}(-[A-Z2-7]{6}){3}$/.test(line)),
    };
  }

  const server = startCli(data, ['serve', '--port', '0', '--web', web], { LIKENESS_LOG_LEVEL: 'info' });
  const origin = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${seen}`)), 60_000);
    server.child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void server.done.then((r) => reject(new Error(`serve exited ${r.code}: ${r.stderr}`)));
  });
  return {
    origin, data, keys, people: persons,
    stop: async () => {
      server.child.kill('SIGTERM');
      await server.done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
