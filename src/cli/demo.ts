// The quick-start demo: declares a source over the bundled sample gallery, ingests it and
// searches it with the bundled probes, showing each command as a user would type it.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../config.ts';

const data = join(PROJECT_ROOT, 'likeness-data', 'demo');
const gallery = join(PROJECT_ROOT, 'samples', 'gallery');
const probes = join(PROJECT_ROOT, 'samples', 'probes');
const cli = join(PROJECT_ROOT, 'bin', 'likeness.js');

function likeness(...args: string[]): string {
  const shown = args.map((a) => (a.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, a) || '.' : a));
  console.log(`\n$ likeness ${shown.join(' ')}`);
  try {
    const out = execFileSync(process.execPath, [cli, '--data', data, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(out);
    return out;
  } catch (error) {
    const status = (error as { status?: number }).status ?? 1;
    process.stdout.write((error as { stdout?: string }).stdout ?? '');
    if (status !== 2) throw error;
    return '';
  }
}

console.log(`likeness demo: data directory ${relative(PROJECT_ROOT, data)}`);
likeness('init');
const declared = likeness('source', 'list');
if (!declared.includes('lfw-sample')) {
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
console.log('\nTo use it in a browser: npm run demo:serve (prints the address and a sign-in key).');
