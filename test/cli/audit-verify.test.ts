import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

it('likeness audit verify: exit 0 while intact, non-zero naming the first edited entry after tampering', async () => {
  const data = tempDir();
  assert.equal((await runCli(data, 'init')).code, 0);
  assert.equal((await runCli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR')).code, 0);
  const added = await runCli(data, 'user', 'add', 'ivan', '--client', 'police', '--role', 'investigator,supervisor');
  assert.equal(added.code, 0, added.stderr);
  const lastLine = added.stdout.trim().split('\n').at(-1)!;
  assert.match(lastLine, /^lk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  assert.equal((await runCli(data, 'key', 'revoke', lastLine.split('_')[1]!)).code, 0);

  const intact = await runCli(data, 'audit', 'verify');
  assert.equal(intact.code, 0, intact.stderr);
  assert.match(intact.stdout, /intact: 4 entries/);
  const exported = (await runCli(data, 'audit', 'export', '--from', '2000-01-01')).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(exported.map((e) => e.action), ['client.add', 'user.add', 'key.issue', 'key.revoke']);
  // The secret is everything after lk_<prefix>_: base64url, so it may hold underscores itself.
  assert.ok(!JSON.stringify(exported).includes(lastLine.slice('lk_'.length + 12 + 1)), 'the secret part of a key is never on record');

  const db = new BetterSqlite3(join(data, 'likeness.db'));
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE seq = 4').run(), /append-only/);
  // Tampering as someone with the file would: drop the guard, then edit one entry's details.
  db.exec('DROP TRIGGER audit_log_no_update');
  db.prepare(`UPDATE audit_log SET details = '{"name":"ivan","roles":["operator"]}' WHERE seq = 2`).run();
  db.close();

  const broken = await runCli(data, 'audit', 'verify');
  assert.notEqual(broken.code, 0);
  assert.match(broken.stderr, /LIKENESS_AUDIT_BROKEN: entry 2 is broken: its content does not match its hash/);
});
