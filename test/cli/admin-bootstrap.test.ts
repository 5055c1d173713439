import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// The CLI stays for bootstrap (docs/architecture.md, "Accounts over HTTP"): the controller's first
// admin is added on the server, then manages every other account over HTTP with that key.
it('likeness user add --roles admin makes the controller\'s first admin, whose key then adds users over HTTP', async () => {
  const data = tempDir();
  assert.equal((await runCli(data, 'init')).code, 0);
  writeFileSync(join(data, 'likeness.policy.yaml'), 'clients:\n  controller: police\n');
  assert.equal((await runCli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR')).code, 0);

  const missing = await runCli(data, 'user', 'add', 'root', '--client', 'police');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /LIKENESS_USAGE: likeness user add needs --roles/);
  const unknown = await runCli(data, 'user', 'add', 'root', '--client', 'police', '--roles', 'superuser');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /LIKENESS_ACCOUNT_INVALID: Unknown role "superuser"/);

  const added = await runCli(data, 'user', 'add', 'root', '--client', 'police', '--roles', 'admin');
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /user root added to police as admin/);
  const key = added.stdout.trim().split('\n').at(-1)!;

  const server = startCli(data, ['serve', '--port', '0']);
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let seen = '';
      server.child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const found = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(seen);
        if (found) resolve(found[1]!);
      });
      void server.done.then((r) => reject(new Error(`serve exited ${r.code}: ${r.stderr}`)));
    });
    const created = await fetch(`${origin}/v1/admin/users`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ivan', client: 'police', roles: ['investigator'] }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const ivan = (await created.json() as { key: string }).key;
    const me = await fetch(`${origin}/v1/me`, { headers: { authorization: `Bearer ${ivan}` } });
    assert.equal(((await me.json()) as { user: { name: string } }).user.name, 'ivan');
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
});
