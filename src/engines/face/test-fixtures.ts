// Paths shared by this folder's tests. Tests read test/fixtures only, never the data sets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export function fixture(...path: string[]): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${path.join('/')}`, import.meta.url));
}
