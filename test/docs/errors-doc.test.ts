import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { PROJECT_ROOT } from '../../src/config.ts';
import { exitCodeFor } from '../../src/cli/output.ts';
import { ERRORS, type ErrorCode } from '../../src/errors.ts';

interface DocumentedError { code: string; status: number; exit: number; meaning: string }

/** The rows of the table in docs/errors.md: | `CODE` | status | exit | meaning |. */
function documentedErrors(): DocumentedError[] {
  const text = readFileSync(join(PROJECT_ROOT, 'docs', 'errors.md'), 'utf8');
  return [...text.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (\d+) \| (.*) \|$/gm)]
    .map(([, code, status, exit, meaning]) => ({ code: code!, status: Number(status), exit: Number(exit), meaning: meaning!.trim() }));
}

it('docs/errors.md documents every code of the catalogue, and no code that is not in it', () => {
  const documented = documentedErrors().map((e) => e.code);
  const catalogue = Object.keys(ERRORS);
  assert.deepEqual(catalogue.filter((c) => !documented.includes(c)), [], 'codes of src/errors.ts missing from docs/errors.md');
  assert.deepEqual(documented.filter((c) => !catalogue.includes(c)), [], 'codes in docs/errors.md that src/errors.ts does not have');
  assert.equal(new Set(documented).size, documented.length, 'each code documented once');
});

it('docs/errors.md gives each code the HTTP status of the catalogue and the exit code the CLI uses, with a meaning', () => {
  for (const { code, status, exit, meaning } of documentedErrors()) {
    const entry = ERRORS[code as ErrorCode];
    if (!entry) continue;
    assert.equal(status, entry.status, `${code}: HTTP status`);
    assert.equal(exit, exitCodeFor(entry.status), `${code}: exit code`);
    assert.ok(meaning.length > 20, `${code}: a meaning, not just a name`);
  }
});
