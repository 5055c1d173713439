import type { Kysely, Selectable } from 'kysely';
import type { SearchKind, SearchRecord } from '../../domain/accounts.ts';
import type { SearchListQuery, SearchLogRepository } from '../../ports/accounts-store.ts';
import { atomic } from './atomic.ts';
import type { Database, SearchesTable } from './schema.ts';

export const searchFromRow = (r: Selectable<SearchesTable>): SearchRecord => ({
  id: r.id,
  kind: r.kind as SearchKind,
  userId: r.user_id,
  clientId: r.client_id,
  caseNumber: r.case_number,
  purpose: r.purpose,
  galleries: JSON.parse(r.galleries) as string[],
  probeSha256: r.probe_sha256,
  threshold: r.threshold,
  results: JSON.parse(r.results) as SearchRecord['results'],
  at: r.at,
});

type Who = { userId: string } | { clientId: string };

export class KyselySearchLogRepository implements SearchLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: SearchRecord): Promise<void> {
    await atomic(this.db, async (db) => {
      await db.insertInto('searches').values({
        id: s.id,
        kind: s.kind ?? 'search',
        user_id: s.userId,
        client_id: s.clientId,
        case_number: s.caseNumber,
        purpose: s.purpose,
        galleries: JSON.stringify(s.galleries),
        probe_sha256: s.probeSha256,
        threshold: s.threshold,
        results: JSON.stringify(s.results),
        at: s.at,
      }).execute();
      await insertResults(db, s.id, s.results);
    });
  }

  async complete(id: string, outcome: { threshold: number; results: SearchRecord['results']; probeSha256?: string }): Promise<void> {
    await atomic(this.db, async (db) => {
      await db.updateTable('searches').set({
        threshold: outcome.threshold, results: JSON.stringify(outcome.results), ...(outcome.probeSha256 === undefined ? {} : { probe_sha256: outcome.probeSha256 }),
      }).where('id', '=', id).execute();
      await insertResults(db, id, outcome.results);
    });
  }

  async listByClient(clientId: string, options: SearchListQuery): Promise<SearchRecord[]> {
    let q = this.db.selectFrom('searches').selectAll().where('client_id', '=', clientId).where('kind', '=', 'search');
    const { before, beforeId } = options;
    if (before) {
      q = beforeId === undefined ? q.where('at', '<', before)
        : q.where((eb) => eb.or([eb('at', '<', before), eb.and([eb('at', '=', before), eb('id', '>', beforeId)])]));
    }
    if (options.userId) q = q.where('user_id', '=', options.userId);
    if (options.caseNumber) q = q.where('case_number', '=', options.caseNumber);
    if (options.from) q = q.where('at', '>=', options.from);
    if (options.to) q = q.where('at', '<', options.to);
    return (await q.orderBy('at', 'desc').orderBy('id').limit(options.limit).execute()).map(searchFromRow);
  }

  async countSince(who: Who, since: string, kind: SearchKind = 'search'): Promise<number> {
    const q = this.db.selectFrom('searches').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>=', since).where('kind', '=', kind);
    const row = await ('userId' in who ? q.where('user_id', '=', who.userId) : q.where('client_id', '=', who.clientId)).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async nthLatestAt(who: Who, n: number, since: string, kind: SearchKind = 'search'): Promise<string | undefined> {
    const q = this.db.selectFrom('searches').select('at').where('at', '>=', since).where('kind', '=', kind);
    const row = await ('userId' in who ? q.where('user_id', '=', who.userId) : q.where('client_id', '=', who.clientId))
      .orderBy('at', 'desc').limit(1).offset(Math.max(0, n - 1)).executeTakeFirst();
    return row?.at;
  }
}

async function insertResults(db: Kysely<Database>, searchId: string, results: SearchRecord['results']): Promise<void> {
  if (results.length === 0) return;
  await db.insertInto('search_results').values(results.map((r) => ({ search_id: searchId, face_id: r.faceId, score: r.score }))).execute();
}
