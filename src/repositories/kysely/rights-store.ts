import type { Kysely } from 'kysely';
import type { ErasureLedgerEntry, SuppressionEntry } from '../../domain/subjects.ts';
import type { ErasureLedgerRepository, FaceRecipient, RightsStore, SuppressionRepository } from '../../ports/rights-store.ts';
import type { Database } from './schema.ts';
import type { RightsDatabase } from './rights-schema.ts';
import { embeddingFromBlob, embeddingToBlob } from './row-mappers.ts';
import { KyselySubjectRequests } from './subject-requests.ts';
import { CHUNK } from './chunks.ts';

class KyselySuppression implements SuppressionRepository {
  constructor(private readonly db: Kysely<RightsDatabase>) {}

  async add(e: SuppressionEntry): Promise<void> {
    await this.db.insertInto('suppression_entries').values({
      id: e.id, request_id: e.requestId, model_id: e.modelId, template: embeddingToBlob(e.template), created_at: e.createdAt,
    }).execute();
  }

  async list(): Promise<SuppressionEntry[]> {
    const rows = await this.db.selectFrom('suppression_entries').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({ id: r.id, requestId: r.request_id, modelId: r.model_id, template: embeddingFromBlob(r.template), createdAt: r.created_at }));
  }

  async version(): Promise<string> {
    const row = await this.db.selectFrom('suppression_entries')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('m')]).executeTakeFirstOrThrow();
    return `${Number(row.n)}:${row.m ?? 0}`;
  }

  async countForRequest(requestId: string): Promise<number> {
    const row = await this.db.selectFrom('suppression_entries').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request_id', '=', requestId).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

class KyselyErasureLedger implements ErasureLedgerRepository {
  constructor(private readonly db: Kysely<RightsDatabase>) {}

  async append(e: ErasureLedgerEntry): Promise<void> {
    await this.db.insertInto('erasure_ledger').values({
      id: e.id, at: e.at, actor: e.actor, reason: e.reason, request_id: e.requestId,
      face_ids: JSON.stringify(e.faceIds), image_sha256: JSON.stringify(e.imageSha256),
    }).execute();
  }

  async list(): Promise<ErasureLedgerEntry[]> {
    const rows = await this.db.selectFrom('erasure_ledger').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({
      id: r.id, at: r.at, actor: r.actor, reason: r.reason as ErasureLedgerEntry['reason'], requestId: r.request_id,
      faceIds: JSON.parse(r.face_ids) as string[], imageSha256: JSON.parse(r.image_sha256) as string[],
    }));
  }

  async has(id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('erasure_ledger').select('id').where('id', '=', id).executeTakeFirst());
  }
}

export class KyselyRightsStore implements RightsStore {
  readonly requests;
  readonly suppression;
  readonly ledger;
  private readonly db: Kysely<RightsDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<Omit<RightsDatabase, keyof Database>>();
    this.requests = new KyselySubjectRequests(this.db);
    this.suppression = new KyselySuppression(this.db);
    this.ledger = new KyselyErasureLedger(this.db);
  }

  async expiredFaceIds(now: string, createdBefore: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('faces').select('id').where('status', '=', 'active')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('created_at', '<', createdBefore)]))
      .orderBy('vector_key').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async deleteImagesWithoutFaces(imageIds: readonly string[]): Promise<string[]> {
    const deleted: string[] = [];
    for (let i = 0; i < imageIds.length; i += CHUNK) {
      const part = imageIds.slice(i, i + CHUNK);
      const empty = await this.db.selectFrom('images').select('id').where('id', 'in', part)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('faces').select('faces.id').whereRef('faces.image_id', '=', 'images.id'))))
        .execute();
      const ids = empty.map((r) => r.id);
      if (ids.length === 0) continue;
      await this.db.deleteFrom('images').where('id', 'in', ids).execute();
      deleted.push(...ids);
    }
    return deleted;
  }

  async recipients(faceIds: readonly string[]): Promise<FaceRecipient[]> {
    const out: FaceRecipient[] = [];
    for (let i = 0; i < faceIds.length; i += CHUNK) {
      const rows = await this.db.selectFrom('search_results as r')
        .innerJoin('searches as s', 's.id', 'r.search_id')
        .innerJoin('clients as c', 'c.id', 's.client_id')
        .select(['r.face_id', 's.id as search_id', 'c.id as client_id', 'c.name', 'c.type', 's.at'])
        .where('r.face_id', 'in', faceIds.slice(i, i + CHUNK)).orderBy('s.at').execute();
      for (const r of rows) out.push({ faceId: r.face_id, searchId: r.search_id, clientId: r.client_id, clientName: r.name, clientType: r.type, at: r.at });
    }
    return out;
  }
}
