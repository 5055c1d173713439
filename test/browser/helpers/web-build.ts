import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/config.ts';

export const WEB_ROOT = join(PROJECT_ROOT, 'dist', 'web');
const SOURCES = join(PROJECT_ROOT, 'src', 'web');

/**
 * Builds the UI unless a build newer than every source file exists (`npm test` builds it in
 * pretest; this covers running one browser test file on its own).
 */
export async function ensureWebBuild(): Promise<string> {
  const index = join(WEB_ROOT, 'index.html');
  if (!existsSync(index) || newest(SOURCES) > statSync(index).mtimeMs) {
    const { build } = await import('vite');
    await build({ configFile: join(SOURCES, 'vite.config.ts'), logLevel: 'error' });
  }
  return WEB_ROOT;
}

function newest(dir: string): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) =>
    e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs));
}
