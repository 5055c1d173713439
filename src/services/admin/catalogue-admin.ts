import type { Principal } from '../../domain/accounts.ts';
import type { Gallery, Source } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { CatalogueService, DeclareSourceInput } from '../catalogue-service.ts';

/** The catalogue as an operator changes it over the API: the same rules, and an audit entry each. */
export class CatalogueAdmin {
  constructor(private readonly catalogue: CatalogueService, private readonly audit: AuditService) {}

  listGalleries(): Promise<Gallery[]> {
    return this.catalogue.listGalleries();
  }

  listSources(): Promise<Source[]> {
    return this.catalogue.listSources();
  }

  async createGallery(who: Principal, name: string): Promise<Gallery> {
    const trimmed = name.trim();
    if (!trimmed) throw new LikenessError('LIKENESS_BAD_INPUT', 'A gallery needs a name');
    if ((await this.catalogue.listGalleries()).some((g) => g.name === trimmed)) {
      throw new LikenessError('LIKENESS_CONFLICT', `A gallery named "${trimmed}" already exists`);
    }
    const gallery = await this.catalogue.ensureGallery(trimmed);
    await this.audit.record({ actor: who.user.id, client: who.client.id, action: 'gallery.add', target: gallery.id, details: { name: gallery.name } });
    return gallery;
  }

  async declareSource(who: Principal, input: DeclareSourceInput): Promise<Source> {
    const source = await this.catalogue.declareSource(input);
    await this.audit.record({
      actor: who.user.id, client: who.client.id, action: 'source.add', target: source.id,
      details: { name: source.name, kind: source.kind, legalBasis: source.legalBasis, jurisdictions: source.jurisdictions, retentionDays: source.retentionDays },
    });
    return source;
  }
}
