import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { POSTGRES_ADMIN_URL_ENV, POSTGRES_DATA_DIR_ENV, testPostgresUrl } from '../postgres/env.ts';
import { freshDatabase } from '../postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../postgres/physical-erasure-setup.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
const pgData = process.env[POSTGRES_DATA_DIR_ENV];

interface Candidate { faceId: string; score: number; image: { path: string } }

/** Whether any file of the node's data directory holds these bytes. */
function onDisk(needle: Buffer): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && readFileSync(path).indexOf(needle) >= 0) hits.push(path);
    }
  };
  walk(pgData!);
  return hits;
}

describe('likeness on PostgreSQL: init, source add, ingest, search, erase', { skip: url && adminUrl && pgData ? false : 'needs the LIKENESS_TEST_POSTGRES_* variables' }, () => {
  const data = join(tempDir(), 'data');
  let store: string;
  let sql: pg.Client;
  const cli = (...args: string[]) => runCli(data, '--store', store, ...args);
  const search = async (photo: string): Promise<Candidate[]> => {
    const run = await cli('search', '--case', 'T-1', '--purpose', 'test', photo, '--json', '--top', '5');
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { candidates: Candidate[] }).candidates;
  };

  before(async () => {
    store = await freshDatabase(url!, 'likeness_cli');
    await allowPhysicalErasure(adminUrl!, store);
    sql = new pg.Client({ connectionString: store });
    await sql.connect();
    assert.equal((await cli('init')).code, 0);
    const added = await cli('source', 'add', 'fixtures', '--kind', 'directory', '--uri', FACES, '--legal-basis', 'legitimate-interests',
      '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30');
    assert.equal(added.code, 0, added.stderr);
    const ingested = await cli('ingest', FACES, '--source', 'fixtures');
    assert.equal(ingested.code, 0, ingested.stderr);
  });

  after(async () => {
    await sql?.end();
  });

  it('keeps the store in PostgreSQL, none in the data directory', async () => {
    const { rows: [counted] } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM faces');
    assert.equal(Number(counted!.n), readdirSync(FACES).filter((f) => f.endsWith('.jpg')).length);
    assert.equal(existsSync(join(data, 'likeness.db')), false);
  });

  it('finds a photo\'s own face first, and the other photos of the same person next', async () => {
    const candidates = await search(join(FACES, 'Colin_Powell_0001.jpg'));
    assert.equal(basename(candidates[0]!.image.path), 'Colin_Powell_0001.jpg');
    assert.ok(candidates[0]!.score > 0.99);
    assert.match(basename(candidates[1]!.image.path), /^Colin_Powell_000[23]\.jpg$/);
  });

  it('erases a face: out of the very next search, and its embedding off the disk under the compaction policy', async () => {
    const photo = join(FACES, 'Serena_Williams_0001.jpg');
    const [own] = await search(photo);
    assert.equal(basename(own!.image.path), 'Serena_Williams_0001.jpg');
    const { rows: [row] } = await sql.query<{ embedding: string }>('SELECT embedding::text AS embedding FROM faces WHERE id = $1', [own!.faceId]);
    const embedding = Float32Array.from(row!.embedding.slice(1, -1).split(',').map(Number));
    const needle = Buffer.from(embedding.buffer, 4 * 200, 4 * 32);
    await sql.query('CHECKPOINT');
    assert.ok(onDisk(needle).length > 0, 'the embedding is on disk before');

    const erased = await cli('face', 'delete', own!.faceId);
    assert.equal(erased.code, 0, erased.stderr);
    assert.match(erased.stdout, /erased 1 face/);
    assert.ok(!(await search(photo)).some((c) => c.faceId === own!.faceId), 'gone from the next search');
    // One face of nine is over the default 10%: the erasure's own compaction ran.
    assert.deepEqual(onDisk(needle), [], 'no file of the data directory holds the erased embedding');

    const compacted = await cli('index', 'compact');
    assert.equal(compacted.code, 0, compacted.stderr);
    assert.match(compacted.stdout, /compacted to 8 faces/);
  });
});
