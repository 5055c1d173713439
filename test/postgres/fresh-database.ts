import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

const created: { url: string; name: string }[] = [];

// Registered once, at the top of the test file that imports this module, so the databases outlive
// every suite and hook of the file (an after() called inside a before() hook would run as soon as
// that hook ends).
after(async () => {
  for (const { url, name } of created.reverse()) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await dropForced(client, name);
    } finally {
      await client.end();
    }
  }
});

/**
 * FORCE: a pool or a postgres_fdw connection left open must not keep the database alive. The
 * store's role may not terminate an autovacuum worker that happens to be in the database (42501,
 * "must be a member of the role whose process is being terminated"): those finish within moments,
 * so the drop is tried again a few times.
 */
async function dropForced(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A new, empty database on the cluster of `url` (same role, same extensions), dropped when the
 * test file ends. Test files run in parallel: each works in databases of its own.
 */
export async function freshDatabase(url: string, prefix = 'likeness_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  created.push({ url, name });
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}
