import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');
// Face sizes the engine measures on these: Colin Powell 81 px, George W. Bush 94, Tony Blair 92.
const PHOTOS = ['Colin_Powell_0001.jpg', 'George_W_Bush_0001.jpg', 'Tony_Blair_0002.jpg'];

function query<T>(data: string, sql: string): T[] {
  const db = new BetterSqlite3(join(data, 'likeness.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
const audit = (data: string, action: string) =>
  query<{ details: string }>(data, `SELECT details FROM audit_log WHERE action = '${action}' ORDER BY seq`).map((r) => JSON.parse(r.details) as Record<string, unknown>);

describe('likeness ingest under a policy file: refusals with their rule, no trace but a count and an audit entry', () => {
  const root = tempDir();
  const data = join(root, 'data');
  const photos = join(root, 'photos');
  const policy = join(data, 'likeness.policy.yaml');
  const POLICY = 'collection:\n  excludeJurisdictions: [GB]\n  minFaceQuality: { minSize: 90 }\n';
  let first: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    mkdirSync(photos);
    for (const p of PHOTOS) cpSync(join(FACES, p), join(photos, p));
    assert.equal((await runCli(data, 'init')).code, 0);
    writeFileSync(policy, POLICY);
    const added = await runCli(data, 'source', 'add', 'press', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
      '--special-category', 'substantial-public-interest', '--jurisdiction', 'US', '--retention-days', '30');
    assert.equal(added.code, 0, added.stderr);
    first = await runCli(data, 'ingest', '--source', 'press');
  });

  it('refuses a source declared in an excluded jurisdiction, naming the rule', async () => {
    const run = await runCli(data, 'source', 'add', 'uk', '--kind', 'directory', '--uri', photos, '--legal-basis', 'legitimate-interests',
      '--special-category', 'substantial-public-interest', '--jurisdiction', 'GB', '--retention-days', '30');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /LIKENESS_POLICY_DENIED: denied by rule `excluded-jurisdiction`/);
  });

  it('prints each refused face on one line with its rule, and counts it in the summary', () => {
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Colin_Powell_0001\.jpg: face 0 refused: denied by rule `face-quality-too-low`: the face is \d+ px/);
    assert.match(first.stdout, /ingested 2 images .* refused 0 images and 1 faces by policy \(face-quality-too-low 1\)/);
  });

  it('stores nothing of the refused image, records the policy decision on the others, and audits the refusal without biometrics', () => {
    const images = query<{ path: string; policy_decision: string }>(data, 'SELECT path, policy_decision FROM images');
    assert.deepEqual(images.map((i) => i.path.split('/').pop()).sort(), PHOTOS.slice(1).sort());
    const sha = createHash('sha256').update(readFileSync(policy)).digest('hex');
    for (const i of images) assert.equal(JSON.parse(i.policy_decision).policySha256, sha);
    const [refusal, ...more] = audit(data, 'ingest.refused');
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(refusal!).sort(), ['face', 'path', 'ruleId', 'sha256', 'source']);
    assert.equal(refusal!.ruleId, 'face-quality-too-low');
    assert.deepEqual(audit(data, 'policy.change').map((e) => e.sha256), [sha]);
  });

  it('takes --policy FILE, refuses whole images of a source the new policy excludes, and audits the policy change once', async () => {
    const other = join(root, 'strict.yaml');
    writeFileSync(other, 'collection:\n  excludeJurisdictions: [US]\n');
    const run = await runCli(data, '--policy', other, 'ingest', '--source', 'press');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Colin_Powell_0001\.jpg: image refused: denied by rule `excluded-jurisdiction`/);
    assert.match(run.stdout, /skipped 2 already present, refused 1 images and 0 faces by policy \(excluded-jurisdiction 1\)/);
    assert.equal((await runCli(data, '--policy', other, 'source', 'list')).code, 0);
    assert.equal(audit(data, 'policy.change').length, 2);
  });

  it('updates, pauses and retires the source with erasure, each audited', async () => {
    const updated = await runCli(data, 'source', 'update', 'press', '--retention-days', '60');
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /press active .* 60 days/);
    assert.equal((await runCli(data, 'source', 'pause', 'press')).code, 0);
    const paused = await runCli(data, 'ingest', '--source', 'press');
    assert.equal(paused.code, 2);
    assert.match(paused.stderr, /LIKENESS_SOURCE_INACTIVE/);
    const retired = await runCli(data, 'source', 'retire', 'press', '--erase');
    assert.equal(retired.code, 0, retired.stderr);
    assert.match(retired.stdout, /retired; 2 faces erased/);
    assert.equal(query<{ n: number }>(data, 'SELECT count(*) AS n FROM faces')[0]!.n, 0);
    assert.deepEqual(['source.update', 'source.pause', 'source.retire'].map((a) => audit(data, a).length), [1, 1, 1]);
  });
});
