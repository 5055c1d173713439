import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { POSTGRES_ADMIN_URL_ENV, testPostgresUrl } from '../postgres/env.ts';
import { freshDatabase } from '../postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../postgres/physical-erasure-setup.ts';

const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];

/** Runs one statement as the superuser, in the database of `storeUrl`. */
async function asAdmin(storeUrl: string, statement: string): Promise<void> {
  const inStore = new URL(adminUrl!);
  inStore.pathname = new URL(storeUrl).pathname;
  const admin = new pg.Client({ connectionString: inStore.toString() });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

// docs/architecture.md, "Erasure": a server that cannot make deleted faces leave its disk is refused
// when a command that collects or erases starts, not found out after a face was deleted and ledgered.
describe('likeness on a PostgreSQL server that cannot erase physically', { skip: url && adminUrl ? false : 'needs the LIKENESS_TEST_POSTGRES_* variables' }, () => {
  const data = join(tempDir(), 'data');

  it('refuses init, ingest and serve, naming the grant; reading commands still run', async () => {
    const store = await freshDatabase(url!, 'likeness_preconditions');
    const cli = (...args: string[]) => runCli(data, '--store', store, ...args);

    const refused = await cli('init');
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /LIKENESS_CONFIG_INVALID: PostgreSQL cannot erase deleted faces physically: .*GRANT EXECUTE ON FUNCTION pg_switch_wal\(\)/);

    await allowPhysicalErasure(adminUrl!, store);
    const init = await cli('init');
    assert.equal(init.code, 0, init.stderr);

    const role = decodeURIComponent(new URL(store).username);
    await asAdmin(store, `REVOKE EXECUTE ON FUNCTION pg_switch_wal() FROM ${pg.escapeIdentifier(role)}`);
    for (const args of [['serve', '--port', '0'], ['ingest', data, '--source', 'none'], ['retention', 'sweep']]) {
      const run = await cli(...args);
      assert.equal(run.code, 1, `likeness ${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /pg_switch_wal/, `likeness ${args.join(' ')} names the grant`);
    }
    const verified = await cli('audit', 'verify');
    assert.equal(verified.code, 0, verified.stderr);
    const listed = await cli('source', 'list');
    assert.equal(listed.code, 0, listed.stderr);
  });
});
