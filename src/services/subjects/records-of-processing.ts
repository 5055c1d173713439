import { isOverdue } from '../../domain/subject-deadlines.ts';
import type { Store } from '../../ports/store.ts';
import type { Clock } from '../../ports/clock.ts';

export interface RecordsOfProcessing {
  generatedAt: string;
  purposes: string[];
  retentionCapDays: number;
  sources: Array<{
    name: string; kind: string; gallery: string; legalBasis: string; specialCategoryCondition: string | null;
    jurisdictions: string[]; retentionDays: number; controller: string | null; status: string;
  }>;
  /** Categories of recipient (Art. 30(1)(d)): client types, with how many clients and searches. */
  recipients: Array<{ clientType: string; clients: number; searches: number }>;
  subjectRequests: { open: number; overdue: number };
  suppressionEntries: number;
  erasures: number;
}

/** GDPR Art. 30: what is processed, on which basis, for how long, and who receives it. */
export class RecordsOfProcessingService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly retentionCapDays: number) {}

  async export(): Promise<RecordsOfProcessing> {
    const now = this.clock.now();
    const galleries = new Map((await this.store.galleries.list()).map((g) => [g.id, g.name]));
    const sources = (await this.store.sources.list()).map((s) => ({
      name: s.name, kind: s.kind, gallery: galleries.get(s.galleryId) ?? s.galleryId, legalBasis: s.legalBasis,
      specialCategoryCondition: s.specialCategoryCondition, jurisdictions: s.jurisdictions, retentionDays: Math.min(s.retentionDays, this.retentionCapDays),
      controller: s.controller, status: s.status,
    }));
    const byType = new Map<string, { clients: number; searches: number }>();
    for (const client of await this.store.accounts.clients.list()) {
      const entry = byType.get(client.type) ?? { clients: 0, searches: 0 };
      entry.clients++;
      entry.searches += await this.store.accounts.searches.countSince({ clientId: client.id }, '0000');
      byType.set(client.type, entry);
    }
    const open = await this.store.rights.requests.listOpen();
    return {
      generatedAt: now.toISOString(),
      purposes: ['identification of persons in lawful investigations by vetted clients, each search stating its case and purpose'],
      retentionCapDays: this.retentionCapDays,
      sources,
      recipients: [...byType].map(([clientType, v]) => ({ clientType, ...v })),
      subjectRequests: { open: open.length, overdue: open.filter((r) => isOverdue(r, now)).length },
      suppressionEntries: (await this.store.rights.suppression.list()).length,
      erasures: (await this.store.rights.ledger.list()).length,
    };
  }
}
