// Bundles the command-line program and the face engine's worker into dist/cli/ (npm run build:cli,
// run by npm install). One file per entry, with what only some commands need split into chunks
// loaded on demand: a command starts without resolving and compiling hundreds of modules one by
// one, which took longer than a one-shot search's own work. Packages with native code or files of
// their own (models, fonts, static pages) stay outside and load from node_modules as usual.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const { dependencies } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// Plain JavaScript, many modules each: bundled.
const BUNDLED = new Set(['kysely', 'commander', 'cli-progress', 'yaml']);
const outdir = new URL('dist/cli/', root).pathname;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  // face-worker.js sits beside the chunk of face-engine-pool.ts, which starts it by that name.
  entryPoints: { main: 'src/cli/main.ts', 'face-worker': 'src/engines/face/face-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
