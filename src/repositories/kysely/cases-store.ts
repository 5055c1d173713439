import type { Kysely } from 'kysely';
import type { Disposition, FaceOrigin, HitProvenance, LeadReview, ListedFace, OutboxMessage, Watch, WatchHit, WatchProbe, WatchStatus } from '../../domain/cases.ts';
import type { SearchRecord } from '../../domain/accounts.ts';
import type { CaseSearchRepository, CasesStore, FaceListingRepository, LeadReviewRepository, OutboxRepository, WatchHitRepository, WatchRepository } from '../../ports/cases-store.ts';
import type { CasesDatabase, WatchesTable, WatchOutboxTable } from './cases-schema.ts';
import type { Database } from './schema.ts';
import { CHUNK } from './chunks.ts';
import { embeddingFromBlob, embeddingToBlob } from './row-mappers.ts';
import { searchFromRow } from './search-log-repository.ts';

const watchFromRow = (r: WatchesTable): Watch => ({
  id: r.id,
  clientId: r.client_id,
  userId: r.user_id,
  caseNumber: r.case_number,
  purpose: r.purpose,
  status: r.status as WatchStatus,
  threshold: Number(r.threshold),
  probeSha256: JSON.parse(r.probe_sha256) as string[],
  webhookUrl: r.webhook_url,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
});

const messageFromRow = (r: WatchOutboxTable): OutboxMessage => ({
  id: r.id,
  hitId: r.hit_id,
  watchId: r.watch_id,
  url: r.url,
  body: r.body,
  status: r.status as OutboxMessage['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

async function inChunks<T>(ids: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...await read(ids.slice(i, i + CHUNK)));
  return out;
}

class KyselyCaseSearches implements CaseSearchRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async findById(id: string): Promise<SearchRecord | undefined> {
    // Comparisons and detections share the search log (for the limits) but are no case's searches.
    const row = await this.db.selectFrom('searches').selectAll().where('id', '=', id).where('kind', '=', 'search').executeTakeFirst();
    return row && searchFromRow(row);
  }

  async listByCase(clientId: string | null, caseNumber: string, limit: number): Promise<SearchRecord[]> {
    let q = this.db.selectFrom('searches').selectAll().where('case_number', '=', caseNumber).where('kind', '=', 'search');
    if (clientId !== null) q = q.where('client_id', '=', clientId);
    return (await q.orderBy('at').orderBy('id').limit(limit).execute()).map(searchFromRow);
  }
}

class KyselyLeadReviews implements LeadReviewRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async create(r: LeadReview): Promise<void> {
    await this.db.insertInto('lead_reviews').values({
      id: r.id, search_id: r.searchId, face_id: r.faceId, client_id: r.clientId, user_id: r.userId, disposition: r.disposition, reason: r.reason, at: r.at,
    }).execute();
  }

  async listBySearch(searchIds: readonly string[]): Promise<LeadReview[]> {
    const rows = await inChunks(searchIds, (part) => this.db.selectFrom('lead_reviews').selectAll().where('search_id', 'in', part).execute());
    return rows.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((r) => ({
      id: r.id, searchId: r.search_id, faceId: r.face_id, clientId: r.client_id, userId: r.user_id,
      disposition: r.disposition as Disposition, reason: r.reason, at: r.at,
    }));
  }
}

class KyselyWatches implements WatchRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async create(w: Watch, probes: readonly WatchProbe[], secret: string): Promise<void> {
    await this.db.insertInto('watches').values({
      id: w.id, client_id: w.clientId, user_id: w.userId, case_number: w.caseNumber, purpose: w.purpose, status: w.status,
      threshold: w.threshold, probe_sha256: JSON.stringify(w.probeSha256), webhook_url: w.webhookUrl, secret,
      created_at: w.createdAt, expires_at: w.expiresAt, approved_by: w.approvedBy, approved_at: w.approvedAt,
    }).execute();
    if (probes.length > 0) {
      await this.db.insertInto('watch_probes').values(probes.map((p) => ({
        watch_id: p.watchId, seq: p.seq, model_id: p.modelId, template: embeddingToBlob(p.template),
      }))).execute();
    }
  }

  async findById(id: string): Promise<Watch | undefined> {
    const row = await this.db.selectFrom('watches').selectAll().where('id', '=', id).executeTakeFirst();
    return row && watchFromRow(row);
  }

  async secret(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('watches').select('secret').where('id', '=', id).executeTakeFirst())?.secret;
  }

  async approve(id: string, by: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('watches').set({ status: 'active', approved_by: by, approved_at: at })
      .where('id', '=', id).where('status', '=', 'pending-approval').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listActive(now: string): Promise<Array<{ watch: Watch; probes: WatchProbe[] }>> {
    const watches = (await this.db.selectFrom('watches').selectAll().where('status', '=', 'active').where('expires_at', '>', now)
      .orderBy('created_at').execute()).map(watchFromRow);
    if (watches.length === 0) return [];
    const probes = await inChunks(watches.map((w) => w.id), (part) => this.db.selectFrom('watch_probes').selectAll().where('watch_id', 'in', part).orderBy('seq').execute());
    return watches.map((watch) => ({
      watch,
      probes: probes.filter((p) => p.watch_id === watch.id)
        .map((p) => ({ watchId: p.watch_id, seq: Number(p.seq), modelId: p.model_id, template: embeddingFromBlob(p.template) })),
    }));
  }

  async listByCase(clientId: string | null, caseNumber: string): Promise<Watch[]> {
    let q = this.db.selectFrom('watches').selectAll().where('case_number', '=', caseNumber);
    if (clientId !== null) q = q.where('client_id', '=', clientId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(watchFromRow);
  }

  async dropExpiredProbes(now: string): Promise<number> {
    const result = await this.db.deleteFrom('watch_probes')
      .where('watch_id', 'in', (eb) => eb.selectFrom('watches').select('id').where('expires_at', '<=', now)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

class KyselyWatchHits implements WatchHitRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async create(h: WatchHit): Promise<void> {
    await this.db.insertInto('watch_hits').values({
      id: h.id, watch_id: h.watchId, face_id: h.faceId, score: h.score, false_match_rate: h.falseMatchRate, provenance: JSON.stringify(h.provenance), at: h.at,
    }).execute();
  }

  async listByWatches(watchIds: readonly string[]): Promise<WatchHit[]> {
    const rows = await inChunks(watchIds, (part) => this.db.selectFrom('watch_hits').selectAll().where('watch_id', 'in', part).execute());
    return rows.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((r) => ({
      id: r.id, watchId: r.watch_id, faceId: r.face_id, score: Number(r.score), falseMatchRate: Number(r.false_match_rate),
      provenance: JSON.parse(r.provenance) as HitProvenance, at: r.at,
    }));
  }
}

class KyselyOutbox implements OutboxRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async add(m: OutboxMessage): Promise<void> {
    await this.db.insertInto('watch_outbox').values({
      id: m.id, hit_id: m.hitId, watch_id: m.watchId, url: m.url, body: m.body, status: m.status, attempts: m.attempts,
      next_attempt_at: m.nextAttemptAt, last_error: m.lastError, delivered_at: m.deliveredAt,
    }).execute();
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]> {
    const due = await this.db.selectFrom('watch_outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    const claimed: OutboxMessage[] = [];
    for (const row of due) {
      // Conditional on the value read: of two processes claiming the same message, one wins.
      const result = await this.db.updateTable('watch_outbox').set({ next_attempt_at: leaseUntil })
        .where('id', '=', row.id).where('status', '=', 'pending').where('next_attempt_at', '=', row.next_attempt_at).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) claimed.push(messageFromRow({ ...row, next_attempt_at: leaseUntil }));
    }
    return claimed;
  }

  async update(m: OutboxMessage): Promise<void> {
    await this.db.updateTable('watch_outbox').set({
      status: m.status, attempts: m.attempts, next_attempt_at: m.nextAttemptAt, last_error: m.lastError, delivered_at: m.deliveredAt,
    }).where('id', '=', m.id).execute();
  }

  async listByWatch(watchId: string): Promise<OutboxMessage[]> {
    return (await this.db.selectFrom('watch_outbox').selectAll().where('watch_id', '=', watchId).orderBy('id').execute()).map(messageFromRow);
  }
}

class KyselyFaceListing implements FaceListingRepository {
  constructor(private readonly db: Kysely<CasesDatabase>) {}

  async list(origin: FaceOrigin, page: { after?: number; limit: number }): Promise<Array<ListedFace & { key: number }>> {
    let q = this.db.selectFrom('faces as f')
      .innerJoin('images as i', 'i.id', 'f.image_id')
      .innerJoin('sources as s', 's.id', 'i.source_id')
      .select(['f.vector_key', 'f.id', 'f.image_id', 'f.gallery_id', 'f.created_at', 'f.expires_at', 's.name as source',
        'i.sha256', 'i.url', 'i.page_url', 'i.path', 'i.collected_at'])
      .where('f.status', '=', 'active');
    if (origin.source !== undefined) q = q.where('s.name', '=', origin.source);
    if (origin.pageUrl !== undefined) q = q.where('i.page_url', '=', origin.pageUrl);
    if (origin.imageUrl !== undefined) q = q.where('i.url', '=', origin.imageUrl);
    if (page.after !== undefined) q = q.where('f.vector_key', '>', page.after);
    const rows = await q.orderBy('f.vector_key').limit(page.limit).execute();
    return rows.map((r) => ({
      key: Number(r.vector_key), id: r.id, imageId: r.image_id, galleryId: r.gallery_id, source: r.source,
      image: { sha256: r.sha256, url: r.url, pageUrl: r.page_url, path: r.path, collectedAt: r.collected_at },
      createdAt: r.created_at, expiresAt: r.expires_at,
    }));
  }
}

/** Case work's tables over one Kysely instance (the pool, or a transaction). */
export function casesStore(base: Kysely<Database>): CasesStore {
  const db = base.withTables<Omit<CasesDatabase, keyof Database>>();
  return {
    searches: new KyselyCaseSearches(db),
    reviews: new KyselyLeadReviews(db),
    watches: new KyselyWatches(db),
    hits: new KyselyWatchHits(db),
    outbox: new KyselyOutbox(db),
    faceListing: new KyselyFaceListing(db),
  };
}
