import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildLikeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { base32Decode, totpAt } from '../../src/services/accounts/totp.ts';
import { runCli, runCliWithInput } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const PASSWORD = 'a long passphrase of mine';

/** The secret of the otpauth:// URI that `likeness user totp` printed. */
function secretOf(stdout: string): Buffer {
  const uri = stdout.split('\n').find((line) => line.startsWith('otpauth://totp/'));
  assert.ok(uri, stdout);
  return base32Decode(new URL(uri).searchParams.get('secret')!);
}

it('likeness user password and user totp enrol a person who then signs in with both; the password never on the command line', async () => {
  const data = tempDir();
  assert.equal((await runCli(data, 'init')).code, 0);
  assert.equal((await runCli(data, 'client', 'add', 'police', '--type', 'law-enforcement', '--jurisdiction', 'FR')).code, 0);
  assert.equal((await runCli(data, 'user', 'add', 'ivan', '--client', 'police', '--role', 'investigator')).code, 0);

  const inArgv = await runCli(data, 'user', 'password', 'ivan', PASSWORD);
  assert.equal(inArgv.code, 2, 'a password as an argument is a usage error');
  assert.match(inArgv.stderr, /LIKENESS_USAGE/);
  const empty = await runCliWithInput(data, '', 'user', 'password', 'ivan');
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /No password on stdin/);
  const short = await runCliWithInput(data, 'short\n', 'user', 'password', 'ivan');
  assert.equal(short.code, 2);
  assert.match(short.stderr, /LIKENESS_ACCOUNT_INVALID/);
  const set = await runCliWithInput(data, `${PASSWORD}\n`, 'user', 'password', 'ivan');
  assert.equal(set.code, 0, set.stderr);
  assert.ok(!set.stdout.includes(PASSWORD));

  const enrolled = await runCli(data, 'user', 'totp', 'ivan');
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const codes = enrolled.stdout.trim().split('\n').filter((line) => /^[A-Z2-7]{6}(-[A-Z2-7]{6}){3}$/.test(line));
  assert.equal(codes.length, 10);
  const again = await runCli(data, 'user', 'totp', 'ivan');
  assert.equal(again.code, 2);
  assert.match(again.stderr, /LIKENESS_CONFLICT.*--reset/);
  const reset = await runCli(data, 'user', 'totp', 'ivan', '--reset');
  assert.equal(reset.code, 0, reset.stderr);
  assert.notDeepEqual(secretOf(reset.stdout), secretOf(enrolled.stdout));

  const likeness = await buildLikeness(loadConfig({ dataDir: data, env: {} }));
  try {
    const opened = await likeness.signIn.signIn({ user: 'ivan', password: PASSWORD, code: totpAt(secretOf(reset.stdout), Date.now()) });
    assert.equal(opened.principal.user.name, 'ivan');
    await assert.rejects(likeness.signIn.signIn({ user: 'ivan', password: PASSWORD, code: codes[0] }), { code: 'LIKENESS_UNAUTHENTICATED' },
      'the recovery codes of the replaced factor are dead');
    const actions = (await likeness.audit.list({ limit: 20 })).map((e) => e.action);
    for (const action of ['user.password', 'user.totp.enrol', 'user.totp.reset', 'session.open']) assert.ok(actions.includes(action), action);
    assert.ok(!JSON.stringify(await likeness.audit.list({ limit: 20 })).includes(PASSWORD));
  } finally {
    await likeness.close();
  }
  const key = await runCli(data, 'key', 'new', 'ivan');
  assert.equal(key.code, 0, 'keys for programs are still issued');
});
