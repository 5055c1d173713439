import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/config.ts';
import { base32Decode } from '../../../src/services/accounts/totp.ts';
import { runCli, runCliWithInput, startCli } from '../../helpers/run-cli.ts';
import { ensureWebBuild } from './web-build.ts';

export const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');
export const PROBES = join(PROJECT_ROOT, 'samples', 'probes');

/**
 * The people most browser files put in the gallery, with watches on: files that ask for the same
 * gallery and policy share one set-up (see template()), so those that need no particular gallery use these.
 */
export const CASE_PEOPLE = ['Serena_Williams', 'Tony_Blair'] as const;

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

/** A data directory set up for one gallery and policy, with every persona enrolled; copied for each server. */
interface Template {
  data: string;
  keys: Record<Persona, string>;
  people: Record<Persona, { name: string; password: string; secret: string; recoveryCodes: string[] }>;
}

const TEMPLATES = join(tmpdir(), 'likeness-ui-templates');
const BUILT = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const TEMPLATE_LIFETIME_MS = 60 * 60_000;
/** Longer than a set-up takes on a busy machine; a maker that has not finished by then is presumed dead. */
const TEMPLATE_MAKING_MS = 180_000;

/**
 * The set-up through the CLI (a dozen runs of the program and an ingest with the real models) is
 * the same for every browser test file with the same gallery and policy, so it runs once per
 * build of the program and is copied. The photos stay where the template was made (the source
 * names their folder, and nothing writes there). A file that finds another making the same
 * template waits for it; one whose maker died makes its own, and the first record published wins
 * (a hard link fails if the name exists).
 */
async function template(people: readonly string[], policy: string): Promise<Template> {
  const build = createHash('sha256').update(`${PROJECT_ROOT}\n${statSync(BUILT).mtimeMs}`).digest('hex').slice(0, 16);
  const config = createHash('sha256').update(`${[...people].sort().join(',')}\n${policy}`).digest('hex').slice(0, 16);
  const record = join(TEMPLATES, build, `${config}.json`);
  if (!existsSync(record)) {
    forgetOldTemplates(build);
    mkdirSync(join(TEMPLATES, build), { recursive: true });
    if (!claim(join(TEMPLATES, build, `${config}.making`))) await waitFor(record, TEMPLATE_MAKING_MS);
  }
  if (!existsSync(record)) {
    const dir = mkdtempSync(join(TEMPLATES, build, `${config}-`));
    const draft = join(dir, 'template.json');
    writeFileSync(draft, JSON.stringify(await setUp(dir, people, policy)));
    try {
      linkSync(draft, record);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(record, 'utf8')) as Template;
}

/** True for the first caller to take the name. */
function claim(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  }
}

async function waitFor(path: string, ms: number): Promise<void> {
  for (const until = Date.now() + ms; !existsSync(path) && Date.now() < until;) await new Promise((r) => setTimeout(r, 200));
}

/** Templates of other builds, once no run can still be copying them. */
function forgetOldTemplates(current: string): void {
  if (!existsSync(TEMPLATES)) return;
  for (const name of readdirSync(TEMPLATES)) {
    const path = join(TEMPLATES, name);
    if (name === current) continue;
    if (Date.now() - statSync(path).mtimeMs > TEMPLATE_LIFETIME_MS) rmSync(path, { recursive: true, force: true });
  }
}

async function setUp(dir: string, people: readonly string[], policy: string): Promise<Template> {
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
  writeFileSync(join(data, 'likeness.policy.yaml'), `clients:\n  controller: police\n${policy}`);
  await cli(data, 'source', 'add', 'press-archive', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
    '--jurisdiction', 'FR,DE', '--retention-days', '365', '--controller', 'Example Press Archive', '--special-category', 'substantial-public-interest');
  if (people.length > 0) await cli(data, 'ingest', photos, '--source', 'press-archive');
  // The kind the web UI uploads into; it adds no faces of its own.
  await cli(data, 'source', 'add', 'operator-uploads', '--kind', 'upload', '--uri', 'upload', '--legal-basis', 'public-task',
    '--jurisdiction', 'FR', '--retention-days', '90', '--special-category', 'substantial-public-interest');
  await cli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR');
  await cli(data, 'client', 'grant', 'police', '--gallery', 'default');
  const keys = {} as Template['keys'];
  const persons = {} as Template['people'];
  for (const persona of Object.keys(ROLES) as Persona[]) {
    const out = await cli(data, 'user', 'add', persona, '--client', 'police', '--roles', ROLES[persona]);
    keys[persona] = out.trim().split('\n').pop()!;
    const password = await runCliWithInput(data, `${TEST_PASSWORD}\n`, 'user', 'password', persona);
    assert.equal(password.code, 0, `likeness user password ${persona}: ${password.stderr}`);
    const enrolled = (await cli(data, 'user', 'totp', persona)).split('\n');
    const uri = new URL(enrolled.find((line) => line.startsWith('otpauth://'))!);
    persons[persona] = {
      name: persona, password: TEST_PASSWORD, secret: uri.searchParams.get('secret')!,
      recoveryCodes: enrolled.filter((line) => /^[A-Z2-7]{6}(-[A-Z2-7]{6}){3}$/.test(line)),
    };
  }
  return { data, keys, people: persons };
}

/**
 * The real program as an operator runs it: a data directory set up through the CLI (a declared
 * directory source over some sample people, ingested with the real face models, an upload source,
 * a client granted their gallery, one user per persona with a password and a second factor, and
 * the policy given, if any), then `likeness serve` on a free port, serving the built UI. Only the
 * personas in `signsIn` (default: all) may sign in through the form.
 */
export async function startUiServer(people: readonly string[], options: { policy?: string; signsIn?: readonly Persona[] } = {}): Promise<UiServer> {
  const web = await ensureWebBuild();
  const made = await template(people, options.policy ?? '');
  // Removed by stop(), not by tempDir(): a server started in a before() hook outlives that hook.
  const dir = mkdtempSync(join(tmpdir(), 'likeness-ui-'));
  const data = join(dir, 'data');
  cpSync(made.data, data, { recursive: true });
  const persons = {} as Record<Persona, Person>;
  for (const persona of Object.keys(ROLES) as Persona[]) {
    if (options.signsIn && !options.signsIn.includes(persona)) {
      Object.defineProperty(persons, persona, {
        get: () => assert.fail(`${persona} may not sign in: name it in startUiServer's signsIn`),
      });
      continue;
    }
    const person = made.people[persona];
    persons[persona] = { ...person, secret: base32Decode(person.secret), recoveryCodes: [...person.recoveryCodes] };
  }
  const keys = made.keys;

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
