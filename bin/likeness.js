#!/usr/bin/env node
// Runs the command-line program bundled at install time (npm install runs `npm run build`),
// so no TypeScript is compiled at each start.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('likeness is not built: run npm run build (npm install does it)\n');
  process.exit(1);
}
await import(main.href);
