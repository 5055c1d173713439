import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { CONFIG_FILE, loadConfig } from './config.ts';
import { isLikenessError } from './errors.ts';

const PG = 'postgres://likeness:secret@db.example:5432/likeness';

function dataDirWith(content?: unknown): string {
  const dir = tempDir();
  if (content !== undefined) writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(content));
  return dir;
}

const invalid = (pattern: RegExp) => (e: unknown) => isLikenessError(e, 'LIKENESS_CONFIG_INVALID') && pattern.test(e.message);

describe('config: the store', () => {
  it('is SQLite in the data directory when nothing names one', () => {
    assert.deepEqual(loadConfig({ dataDir: dataDirWith(), env: {} }).store, { kind: 'sqlite' });
  });

  it('takes a postgres:// URL from the --store option, LIKENESS_STORE or the config file, in that order', () => {
    const fromFile = dataDirWith({ store: `${PG}_file` });
    assert.deepEqual(loadConfig({ dataDir: fromFile, env: {} }).store, { kind: 'postgres', url: `${PG}_file` });
    assert.deepEqual(loadConfig({ dataDir: fromFile, env: { LIKENESS_STORE: `${PG}_env` } }).store, { kind: 'postgres', url: `${PG}_env` });
    assert.deepEqual(loadConfig({ dataDir: fromFile, env: { LIKENESS_STORE: `${PG}_env` }, store: PG }).store, { kind: 'postgres', url: PG });
    assert.equal(loadConfig({ dataDir: dataDirWith(), env: { LIKENESS_STORE: 'postgresql://h/db' } }).store.kind, 'postgres');
  });

  it('refuses at start a value that is not a URL, an unsupported scheme, or a URL without a database', () => {
    assert.throws(() => loadConfig({ dataDir: dataDirWith(), env: {}, store: 'not a url' }), invalid(/--store is not a URL/));
    assert.throws(() => loadConfig({ dataDir: dataDirWith(), env: { LIKENESS_STORE: 'mysql://h/db' } }),
      invalid(/LIKENESS_STORE has the unsupported scheme "mysql": only postgres:\/\//));
    assert.throws(() => loadConfig({ dataDir: dataDirWith({ store: 'sqlite:///tmp/x.db' }), env: {} }), invalid(/store has the unsupported scheme "sqlite"/));
    assert.throws(() => loadConfig({ dataDir: dataDirWith({ store: 42 }), env: {} }), invalid(/store must be a postgres:\/\/ URL/));
    assert.throws(() => loadConfig({ dataDir: dataDirWith(), env: {}, store: 'postgres://h:5432' }), invalid(/names no database/));
  });

  it('never repeats the password in a message', () => {
    assert.throws(() => loadConfig({ dataDir: dataDirWith(), env: {}, store: 'postgres://u:secret@h:5432' }),
      (e) => isLikenessError(e) && !e.message.includes('secret'));
  });
});
