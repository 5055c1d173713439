import pg from 'pg';

export interface NodeSetup {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT, without a database. */
  adminBase: string;
  appRole: string;
  appPassword: string;
  appDatabase: string;
}

async function withClient(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Gives a fresh cluster the application role and database. The extensions go into template1, so
 * every database created later (one per test file) has them without a superuser: vector is not a
 * trusted extension. postgres_fdw is on every node so that any of them can act as coordinator.
 */
export async function prepareNode(setup: NodeSetup): Promise<void> {
  const { adminBase, appRole, appPassword, appDatabase } = setup;
  const role = pg.escapeIdentifier(appRole);
  await withClient(`${adminBase}/postgres`, async (client) => {
    // CREATEDB: tests create a database each. pg_checkpoint: erasure tests flush pages to disk.
    await client.query(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD ${pg.escapeLiteral(appPassword)}`);
    await client.query(`GRANT pg_checkpoint TO ${role}`);
  });
  await withClient(`${adminBase}/template1`, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query('CREATE EXTENSION IF NOT EXISTS postgres_fdw');
    // Lets the application role declare its shards (CREATE SERVER, USER MAPPING) without superuser.
    await client.query(`GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO ${role}`);
  });
  await withClient(`${adminBase}/postgres`, async (client) => {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(appDatabase)} OWNER ${role}`);
  });
}
