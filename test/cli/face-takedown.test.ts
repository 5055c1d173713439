import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { PROJECT_ROOT } from '../../src/config.ts';
import { startRecordingServer } from '../helpers/recording-server.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const photo = (name: string) => ({ headers: { 'content-type': 'image/jpeg' }, body: readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', name)) });

function facesByPage(data: string): Record<string, number> {
  const db = new BetterSqlite3(join(data, 'likeness.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT i.page_url AS page, count(*) AS n FROM faces f JOIN images i ON i.id = f.image_id WHERE f.status = 'active' GROUP BY i.page_url")
      .all() as Array<{ page: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.page, r.n]));
  } finally {
    db.close();
  }
}

const server = await startRecordingServer({
  '/img/colin-1.jpg': photo('Colin_Powell_0001.jpg'),
  '/img/colin-2.jpg': photo('Colin_Powell_0002.jpg'),
  '/img/blair.jpg': photo('Tony_Blair_0002.jpg'),
});

it('likeness face delete --page-url erases every face collected from that page, through the erasure ledger, and no other', async () => {
  const root = tempDir();
  const data = join(root, 'data');
  const story = `${server.origin}/story-1.html`;
  const other = `${server.origin}/story-2.html`;
  const list = join(root, 'images.txt');
  writeFileSync(list, `${server.origin}/img/colin-1.jpg ${story}\n${server.origin}/img/colin-2.jpg ${story}\n${server.origin}/img/blair.jpg ${other}\n`);
  assert.equal((await runCli(data, 'init')).code, 0);
  writeFileSync(join(data, 'likeness.config.json'), JSON.stringify({ collector: { contactUrl: 'https://example.org/crawler', minIntervalMs: 0 } }));
  const added = await runCli(data, 'source', 'add', 'press', '--kind', 'url-list', '--uri', list, '--legal-basis', 'legitimate-interests',
    '--special-category', 'substantial-public-interest', '--jurisdiction', 'DE', '--retention-days', '30');
  assert.equal(added.code, 0, added.stderr);
  const ingested = await runCli(data, 'ingest', '--source', 'press');
  assert.equal(ingested.code, 0, ingested.stderr);
  assert.deepEqual(facesByPage(data), { [story]: 2, [other]: 1 });

  const bad = await runCli(data, 'face', 'delete', 'some-id', '--page-url', story);
  assert.equal(bad.code, 2, 'an id and a page at once is refused');
  assert.deepEqual(facesByPage(data), { [story]: 2, [other]: 1 });

  const takedown = await runCli(data, 'face', 'delete', '--page-url', story);
  assert.equal(takedown.code, 0, takedown.stderr);
  assert.match(takedown.stdout, /erased 2 face\(s\) and 2 image\(s\)/);
  assert.deepEqual(facesByPage(data), { [other]: 1 });

  const byImage = await runCli(data, 'face', 'delete', '--image-url', `${server.origin}/img/blair.jpg`);
  assert.equal(byImage.code, 0, byImage.stderr);
  assert.deepEqual(facesByPage(data), {});

  const audit = await runCli(data, 'audit', 'export');
  const entries = audit.stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; actor: string; details: Record<string, unknown> });
  const takedowns = entries.filter((e) => e.action === 'face.takedown');
  assert.deepEqual(takedowns.map((e) => [e.details.pageUrl, e.details.imageUrl, (e.details.faceIds as string[]).length]),
    [[story, null, 2], [null, `${server.origin}/img/blair.jpg`, 1]]);
  assert.ok(takedowns.every((e) => e.actor.startsWith('local:')));
  const erasures = entries.filter((e) => e.action === 'erasure');
  assert.equal(erasures.length, 2, 'each takedown went through the erasure service and its ledger');
  assert.equal((await runCli(data, 'audit', 'verify')).code, 0);
});
