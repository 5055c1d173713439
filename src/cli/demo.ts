// The quick-start demo: declares a source over the bundled sample gallery, ingests it and
// searches it with the bundled probes, showing each command as it can be pasted. Any step that
// fails stops the demo with its error and a non-zero exit code.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config.ts';
import { shellLine } from './shell-words.ts';

const data = resolve(process.env.LIKENESS_DEMO_DATA ?? join(PROJECT_ROOT, 'likeness-data', 'demo'));
const gallery = join(PROJECT_ROOT, 'samples', 'gallery');
const probes = join(PROJECT_ROOT, 'samples', 'probes');
const cli = join(PROJECT_ROOT, 'bin', 'likeness.js');

const shown = (path: string) => (path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) || '.' : path);

function stop(message: string, code: number): never {
  process.stderr.write(`\ndemo stopped: ${message}\n`);
  process.exit(code);
}

/** Runs one command, shown as it can be pasted unless it is the demo's own check (`quiet`). */
function run(args: string[], options: { quiet?: boolean } = {}): string {
  // As typed in the checkout right after `npm install`, before any `npm link`.
  const line = shellLine(['node', 'bin/likeness.js', '--data', shown(data), ...args.map(shown)]);
  if (!options.quiet) console.log(`\n$ ${line}`);
  const child = spawnSync(process.execPath, [cli, '--data', data, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (!options.quiet) process.stdout.write(child.stdout ?? '');
  if (child.error) stop(`${line}: ${child.error.message}`, 1);
  if (child.status !== 0) stop(`${line} exited with code ${child.status ?? child.signal}`, child.status || 1);
  return child.stdout;
}

const likeness = (...args: string[]) => run(args);

console.log(`likeness demo: data directory ${shown(data)}; each command below can be pasted in ${PROJECT_ROOT}`);
likeness('init');
const declared = JSON.parse(run(['source', 'list', '--json'], { quiet: true })) as Array<{ name: string; uri: string }>;
const sample = declared.find((s) => s.name === 'lfw-sample');
if (sample && resolve(sample.uri) !== gallery) {
  stop(`${shown(data)} was made elsewhere: its source lfw-sample reads ${sample.uri}, not ${gallery}. `
    + `Remove ${shown(data)} (or set LIKENESS_DEMO_DATA to another folder) and run npm run demo again.`, 2);
}
if (!sample) {
  likeness('source', 'add', 'lfw-sample', '--kind', 'directory', '--uri', gallery,
    '--legal-basis', 'legitimate-interests', '--special-category', 'archiving-research-statistics',
    '--jurisdiction', 'US', '--retention-days', '365', '--controller', 'likeness demo');
}
likeness('ingest', gallery, '--source', 'lfw-sample');
for (const probe of readdirSync(probes).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
  likeness('search', join(probes, probe), '--top', '3', '--case', 'DEMO-1', '--purpose', 'demonstration');
}
console.log('\nEach candidate is a face at or above the calibrated threshold, with its image and source.');
console.log('A probe of someone who is not in the gallery gets "no candidate" rather than a nearest stranger.');
console.log('\nTo use it in a browser: npm run demo:serve (prints the address and how to sign in).');
