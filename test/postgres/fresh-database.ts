import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';

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
  after(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // FORCE: a pool or a postgres_fdw connection left open must not keep the database alive.
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}
