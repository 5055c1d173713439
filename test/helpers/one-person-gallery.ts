import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from './run-cli.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');

/** The first sample person's folder and first photo. */
export function firstSamplePerson(): { folder: string; photo: string } {
  const folder = join(GALLERY, readdirSync(GALLERY).sort()[0]!);
  return { folder, photo: join(folder, readdirSync(folder).sort()[0]!) };
}

/** `likeness init`, a directory source "one" over the folder, and its ingestion, as a user runs them. */
export async function ingestFolder(data: string, folder: string): Promise<void> {
  assert.equal((await runCli(data, 'init')).code, 0);
  assert.equal((await runCli(data, 'source', 'add', 'one', '--kind', 'directory', '--uri', folder, '--legal-basis', 'legitimate-interests',
    '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30')).code, 0);
  assert.equal((await runCli(data, 'ingest', folder, '--source', 'one')).code, 0);
}
