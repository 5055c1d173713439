import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');
const PROBES = join(PROJECT_ROOT, 'samples', 'probes');
const BAD = join(PROJECT_ROOT, 'test', 'fixtures', 'bad');
const people = new Set(readdirSync(GALLERY));
const galleryImages = people.size === 0 ? 0 : [...people].reduce((n, p) => n + readdirSync(join(GALLERY, p)).length, 0);

function count(data: string, table: 'images' | 'faces'): number {
  const db = new BetterSqlite3(join(data, 'likeness.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function declare(data: string, name: string, uri: string): Promise<void> {
  assert.equal((await runCli(data, 'init')).code, 0);
  const added = await runCli(data, 'source', 'add', name, '--kind', 'directory', '--uri', uri,
    '--legal-basis', 'legitimate-interests', '--special-category', 'archiving-research-statistics', '--jurisdiction', 'US', '--retention-days', '30');
  assert.equal(added.code, 0, added.stderr);
}

describe('likeness ingest and search, on the bundled LFW sample gallery', () => {
  const data = join(tempDir(), 'data');
  let firstRun = '';

  before(async () => {
    await declare(data, 'lfw-sample', GALLERY);
    const run = await runCli(data, 'ingest', GALLERY, '--source', 'lfw-sample');
    assert.equal(run.code, 0, run.stderr);
    firstRun = run.stdout;
  });

  it('ingests every image with one face or more', () => {
    assert.match(firstRun, new RegExp(`ingested ${galleryImages} images`));
    assert.equal(count(data, 'images'), galleryImages);
    assert.ok(count(data, 'faces') >= galleryImages);
  });

  it('skips every image on a second run: ingestion is idempotent', async () => {
    const run = await runCli(data, 'ingest', GALLERY, '--source', 'lfw-sample');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`ingested 0 images .* skipped ${galleryImages} already present`));
    assert.equal(count(data, 'images'), galleryImages);
  });

  for (const probe of readdirSync(PROBES).sort()) {
    const person = basename(probe).replace(/_\d{4}\.\w+$/, '');
    if (people.has(person)) {
      it(`finds ${person} first for an unseen photo of ${person}`, async () => {
        const run = await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', join(PROBES, probe), '--json');
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as { candidates: Array<{ score: number; image: { path: string }; source: string }> };
        assert.ok(result.candidates.length > 0, 'at least one candidate');
        assert.equal(basename(join(result.candidates[0]!.image.path, '..')), person);
        assert.equal(result.candidates[0]!.source, 'lfw-sample');
        const scores = result.candidates.map((c) => c.score);
        assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
      });
    } else {
      it(`answers "no candidate" for ${person}, who is not in the gallery`, async () => {
        const run = await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', join(PROBES, probe));
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /no candidate at or above the threshold/);
      });
    }
  }

  it('exits with code 2 and a clear message for a probe without a face', async () => {
    const run = await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', join(BAD, 'no-face.jpg'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /LIKENESS_NO_FACE/);
  });

  it('compares two photos of one person as a match and two people as not', async () => {
    const [a, b] = readdirSync(join(GALLERY, [...people][0]!)).map((f) => join(GALLERY, [...people][0]!, f));
    const other = readdirSync(join(GALLERY, [...people][1]!)).map((f) => join(GALLERY, [...people][1]!, f))[0]!;
    const same = JSON.parse((await runCli(data, 'compare', '--case', 'T-1', '--purpose', 'test', a!, b!, '--json')).stdout) as { match: boolean; score: number };
    const diff = JSON.parse((await runCli(data, 'compare', '--case', 'T-1', '--purpose', 'test', a!, other, '--json')).stdout) as { match: boolean; score: number };
    assert.equal(same.match, true);
    assert.equal(diff.match, false);
    assert.ok(same.score > diff.score);
  });
});

describe('likeness ingest on bad input', () => {
  it('names each bad file with a stable code and goes on with the next', async () => {
    const dir = tempDir();
    cpSync(BAD, join(dir, 'photos'), { recursive: true });
    const good = readdirSync(join(GALLERY, [...people][0]!))[0]!;
    cpSync(join(GALLERY, [...people][0]!, good), join(dir, 'photos', 'zz-good.jpg'));
    const data = join(dir, 'data');
    await declare(data, 'mixed', join(dir, 'photos'));
    const run = await runCli(data, 'ingest', join(dir, 'photos'), '--source', 'mixed');
    assert.equal(run.code, 0, run.stderr);
    const expected: Record<string, RegExp> = {
      'not-an-image.jpg': /LIKENESS_NOT_AN_IMAGE/,
      'corrupt.jpg': /LIKENESS_(CORRUPT_IMAGE|NOT_AN_IMAGE)/,
      'truncated.jpg': /LIKENESS_CORRUPT_IMAGE/,
      'tiny.png': /LIKENESS_IMAGE_TOO_SMALL/,
      'bomb.png': /LIKENESS_IMAGE_TOO_LARGE/,
    };
    for (const [file, code] of Object.entries(expected)) {
      const line = run.stderr.split('\n').find((l) => l.includes(file));
      assert.ok(line, `a line names ${file}`);
      assert.match(line!, code);
    }
    assert.equal(count(data, 'faces') >= 1, true, 'the good file after the bad ones is ingested');
  });

  it('refuses a source that was never declared', async () => {
    const data = join(tempDir(), 'data');
    assert.equal((await runCli(data, 'init')).code, 0);
    const run = await runCli(data, 'ingest', GALLERY, '--source', 'nowhere');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /LIKENESS_SOURCE_UNDECLARED/);
  });

  it('refuses a folder outside the source\'s declared scope', async () => {
    const data = join(tempDir(), 'data');
    await declare(data, 'probes-only', PROBES);
    const run = await runCli(data, 'ingest', GALLERY, '--source', 'probes-only');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /LIKENESS_PATH_REFUSED: .*leaves the source's folder/);
  });
});

describe('likeness ingest stopped by kill -9', () => {
  it('resumes with no image lost and none duplicated', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    await declare(data, 'lfw-sample', GALLERY);
    const { child, done } = startCli(data, ['ingest', GALLERY, '--source', 'lfw-sample'], { LIKENESS_WORKERS: '1' });
    // Kill as soon as some, not all, images are committed.
    let seen = 0;
    while (seen < 3) {
      await new Promise((r) => setTimeout(r, 25));
      try {
        seen = count(data, 'images');
      } catch {
        seen = 0;
      }
    }
    child.kill('SIGKILL');
    await done;
    const atKill = count(data, 'images');
    assert.ok(atKill < galleryImages, `killed part-way (${atKill} of ${galleryImages} stored)`);

    const rerun = await runCli(data, 'ingest', GALLERY, '--source', 'lfw-sample', '--json');
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as { ingested: number; skipped: number; failed: number };
    assert.equal(summary.failed, 0);
    assert.equal(summary.skipped + summary.ingested, galleryImages);
    assert.equal(count(data, 'images'), galleryImages);

    const fresh = join(dir, 'fresh');
    await declare(fresh, 'lfw-sample', GALLERY);
    assert.equal((await runCli(fresh, 'ingest', GALLERY, '--source', 'lfw-sample')).code, 0);
    assert.equal(count(data, 'faces'), count(fresh, 'faces'), 'the same faces as an uninterrupted run');

    // Every stored face is searchable: the index caught up with what the killed run committed.
    const person = [...people][0]!;
    const photo = join(GALLERY, person, readdirSync(join(GALLERY, person))[0]!);
    const search = JSON.parse((await runCli(data, 'search', '--case', 'T-1', '--purpose', 'test', photo, '--json', '--top', '1')).stdout) as { candidates: Array<{ score: number }> };
    assert.ok(search.candidates[0]!.score > 0.99, 'an ingested photo finds itself');
    const indexed = readdirSync(join(data, 'index')).filter((f) => f.endsWith('.manifest.json'))
      .reduce((n, f) => n + (JSON.parse(readFileSync(join(data, 'index', f), 'utf8')) as { size: number }).size, 0);
    assert.equal(indexed, count(data, 'faces'), 'the index holds every stored face');
  });
});
