import type { Source } from '../../domain/types.ts';
import type { Store } from '../../ports/store.ts';

export interface SourceCategory {
  kind: Source['kind'];
  legalBasis: Source['legalBasis'];
  specialCategoryCondition: string | null;
  jurisdictions: string[];
  retentionDays: number;
  sources: number;
}

export interface Transparency {
  categories: SourceCategory[];
  /** The longest any face may be kept, whatever a source declares. */
  retentionCapDays: number;
  faces: number;
}

/**
 * What the public privacy page states (docs/architecture.md, "Transparency"): the categories of source, their legal
 * bases, jurisdictions and retention. Names, folders and URLs of sources are not published.
 */
export class TransparencyService {
  constructor(private readonly store: Store, private readonly retentionCapDays: number) {}

  async summary(): Promise<Transparency> {
    const sources = (await this.store.sources.list()).filter((s) => s.status !== 'retired');
    const byCategory = new Map<string, SourceCategory>();
    for (const s of sources) {
      const key = `${s.kind}|${s.legalBasis}|${s.specialCategoryCondition ?? ''}`;
      const seen = byCategory.get(key);
      if (!seen) {
        byCategory.set(key, { kind: s.kind, legalBasis: s.legalBasis, specialCategoryCondition: s.specialCategoryCondition, jurisdictions: [...s.jurisdictions], retentionDays: s.retentionDays, sources: 1 });
        continue;
      }
      seen.jurisdictions = [...new Set([...seen.jurisdictions, ...s.jurisdictions])].sort();
      seen.retentionDays = Math.max(seen.retentionDays, s.retentionDays);
      seen.sources++;
    }
    return { categories: [...byCategory.values()], retentionCapDays: this.retentionCapDays, faces: await this.store.faces.countActive() };
  }

  /** Active faces per gallery, for the operator's catalogue view. */
  async facesByGallery(): Promise<Array<{ galleryId: string; faces: number }>> {
    const galleries = await this.store.galleries.list();
    return Promise.all(galleries.map(async (g) => ({ galleryId: g.id, faces: await this.store.faces.countActive(g.id) })));
  }
}
