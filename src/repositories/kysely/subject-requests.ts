import type { Kysely } from 'kysely';
import type { SubjectRequest } from '../../domain/subjects.ts';
import type { SubjectRequestRepository } from '../../ports/rights-store.ts';
import { embeddingFromBlob, embeddingToBlob } from './row-mappers.ts';
import type { RightsDatabase, SubjectRequestsTable } from './rights-schema.ts';

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const fromRow = (r: SubjectRequestsTable): SubjectRequest => ({
  id: r.id,
  kind: r.kind as SubjectRequest['kind'],
  contact: r.contact,
  status: r.status as SubjectRequest['status'],
  receivedAt: r.received_at,
  dueAt: r.due_at,
  originalDueAt: r.original_due_at,
  extension: json(r.extension),
  verification: JSON.parse(r.verification) as SubjectRequest['verification'],
  decision: json(r.decision),
  matches: json(r.matches),
  threshold: r.threshold,
  exclusions: JSON.parse(r.exclusions) as SubjectRequest['exclusions'],
  completedAt: r.completed_at,
  modelId: r.model_id,
});

const toRow = (r: SubjectRequest) => ({
  id: r.id,
  kind: r.kind,
  contact: r.contact,
  status: r.status,
  received_at: r.receivedAt,
  due_at: r.dueAt,
  original_due_at: r.originalDueAt,
  extension: r.extension && JSON.stringify(r.extension),
  verification: JSON.stringify(r.verification),
  decision: r.decision && JSON.stringify(r.decision),
  matches: r.matches && JSON.stringify(r.matches),
  threshold: r.threshold,
  exclusions: JSON.stringify(r.exclusions),
  completed_at: r.completedAt,
  model_id: r.modelId,
});

export class KyselySubjectRequests implements SubjectRequestRepository {
  constructor(private readonly db: Kysely<RightsDatabase>) {}

  async create(request: SubjectRequest, secret: { tokenHash: string; template: Float32Array }): Promise<void> {
    await this.db.insertInto('subject_requests')
      .values({ ...toRow(request), token_hash: secret.tokenHash, template: embeddingToBlob(secret.template) }).execute();
  }

  async findById(id: string): Promise<SubjectRequest | undefined> {
    const row = await this.db.selectFrom('subject_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async tokenHash(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('subject_requests').select('token_hash').where('id', '=', id).executeTakeFirst())?.token_hash;
  }

  async update(request: SubjectRequest): Promise<void> {
    await this.db.updateTable('subject_requests').set(toRow(request)).where('id', '=', request.id).execute();
  }

  async template(id: string): Promise<Float32Array | undefined> {
    const row = await this.db.selectFrom('subject_requests').select('template').where('id', '=', id).executeTakeFirst();
    return row?.template ? embeddingFromBlob(row.template) : undefined;
  }

  async dropTemplate(id: string): Promise<void> {
    await this.db.updateTable('subject_requests').set({ template: null }).where('id', '=', id).execute();
  }

  async listOpen(): Promise<SubjectRequest[]> {
    const rows = await this.db.selectFrom('subject_requests').selectAll()
      .where('status', 'in', ['received', 'approved']).orderBy('due_at').orderBy('received_at').execute();
    return rows.map(fromRow);
  }

  async list(options: { limit: number }): Promise<SubjectRequest[]> {
    const rows = await this.db.selectFrom('subject_requests').selectAll().orderBy('received_at', 'desc').limit(options.limit).execute();
    return rows.map(fromRow);
  }
}
