// Two processes appending to the audit chain of one PostgreSQL store at once: each append reads
// the chain's last entry and links to it, so the store must order them (an advisory lock taken
// before that read, see src/repositories/postgres/audit-chain-lock.ts) or entries would share a
// sequence number or a previous hash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { AuditService } from '../../src/services/audit/audit-service.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { testPostgresUrl } from './env.ts';
import { freshDatabase } from './fresh-database.ts';

const url = testPostgresUrl();
const PER_PROCESS = 60;

describe('audit chain on PostgreSQL', { skip: url ? false : 'no LIKENESS_TEST_POSTGRES_URL' }, () => {
  it('stays valid when two pools append at the same time', async () => {
    const db = await freshDatabase(url!);
    // Two stores: two pools of connections, as two processes would have.
    const stores = [await PostgresStore.open(db, { create: true, dimension: 8 }), await PostgresStore.open(db)];
    try {
      const services = stores.map((store) => new AuditService(store, systemClock));
      await Promise.all(services.flatMap((service, p) => Array.from({ length: PER_PROCESS }, (_, i) =>
        service.record({ actor: `process-${p}`, client: null, action: 'test.append', details: { i } }))));
      const verdict = await services[0]!.verify();
      assert.deepEqual(verdict.intact, true, JSON.stringify(verdict));
      assert.equal(verdict.entries, 2 * PER_PROCESS);
      const entries = await stores[1]!.accounts.audit.list({ limit: 1_000 });
      assert.deepEqual(new Set(entries.map((e) => e.actor)), new Set(['process-0', 'process-1']));
      assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 2 * PER_PROCESS }, (_, i) => 2 * PER_PROCESS - i));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
