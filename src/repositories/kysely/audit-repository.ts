import type { Kysely } from 'kysely';
import type { AuditEntry } from '../../domain/accounts.ts';
import type { AuditListQuery, AuditRepository } from '../../ports/accounts-store.ts';
import type { AuditLogTable, Database } from './schema.ts';

export const auditFromRow = (r: AuditLogTable): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  client: r.client,
  action: r.action,
  target: r.target,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export class KyselyAuditRepository implements AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async last(): Promise<AuditEntry | undefined> {
    const row = await this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && auditFromRow(row);
  }

  async append(e: AuditEntry): Promise<void> {
    await this.db.insertInto('audit_log').values({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      client: e.client,
      action: e.action,
      target: e.target,
      details: JSON.stringify(e.details),
      prev_hash: e.prevHash,
      hash: e.hash,
    }).execute();
  }

  async *stream(options: { from?: string; to?: string; batchSize?: number } = {}): AsyncIterable<AuditEntry[]> {
    const batchSize = options.batchSize ?? 5_000;
    let after = 0;
    for (;;) {
      let q = this.db.selectFrom('audit_log').selectAll().where('seq', '>', after);
      if (options.from) q = q.where('at', '>=', options.from);
      if (options.to) q = q.where('at', '<', options.to);
      const rows = await q.orderBy('seq').limit(batchSize).execute();
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.seq;
      yield rows.map(auditFromRow);
    }
  }

  async list(options: AuditListQuery): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (options.client) q = q.where('client', '=', options.client);
    if (options.action) q = q.where('action', '=', options.action);
    if (options.actor) q = q.where('actor', '=', options.actor);
    if (options.from) q = q.where('at', '>=', options.from);
    if (options.to) q = q.where('at', '<', options.to);
    if (options.beforeSeq !== undefined) q = q.where('seq', '<', options.beforeSeq);
    return (await q.orderBy('seq', 'desc').limit(options.limit).execute()).map(auditFromRow);
  }
}
