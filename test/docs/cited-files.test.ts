import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';

// The guarantees table of docs/architecture.md names the test behind each guarantee; a renamed or
// missing file would leave a guarantee vouched for by nothing.
const DOCS = ['docs/architecture.md', 'docs/scaling.md', 'SECURITY.md', 'README.md'];

function citedFiles(doc: string): string[] {
  const text = readFileSync(join(PROJECT_ROOT, doc), 'utf8');
  return [...text.matchAll(/`((?:src|test|bench|scripts)\/[\w./-]+\.(?:ts|mjs|js))`/g)].map(([, path]) => path!);
}

it('every source or test file the docs cite exists', () => {
  const missing = DOCS.flatMap((doc) => citedFiles(doc).filter((path) => !existsSync(join(PROJECT_ROOT, path))).map((path) => `${doc}: ${path}`));
  assert.deepEqual(missing, []);
});

it('the guarantees table cites test files', () => {
  assert.ok(citedFiles('docs/architecture.md').filter((path) => /\.(?:test|pgtest)\.ts$/.test(path)).length >= 10);
});
