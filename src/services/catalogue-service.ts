import { LEGAL_BASES, SOURCE_KINDS, type Gallery, type LegalBasis, type Source, type SourceKind } from '../domain/types.ts';
import { LikenessError } from '../errors.ts';
import type { Store } from '../ports/store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConfinedFiles } from '../ports/confined-files.ts';
import type { IdGenerator } from '../ports/ids.ts';
import { enforce } from './policy/decision.ts';
import type { PolicyService } from './policy/policy-service.ts';

export const DEFAULT_GALLERY = 'default';

export interface DeclareSourceInput {
  name: string;
  gallery?: string;
  kind: string;
  uri: string;
  legalBasis: string;
  jurisdictions: string[];
  retentionDays: number;
  specialCategoryCondition?: string;
  controller?: string;
}

// ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision (US-IL, GB-SCT).
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** Galleries and the declared sources that are the only way images enter likeness. */
export class CatalogueService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly maxRetentionDays: number,
    /** When given, a declaration the policy refuses is refused with the rule's id. */
    private readonly policy?: PolicyService,
    /** When given, a directory source's folder is stored as its real path, and must exist. */
    private readonly folders?: Pick<ConfinedFiles, 'resolveFolder'>,
  ) {}

  async ensureGallery(name: string): Promise<Gallery> {
    const existing = await this.store.galleries.findByName(name);
    if (existing) return existing;
    const gallery = { id: this.ids.newId(), name, createdAt: this.clock.now().toISOString() };
    await this.store.galleries.create(gallery);
    return gallery;
  }

  async declareSource(input: DeclareSourceInput): Promise<Source> {
    const name = input.name.trim();
    if (!name) throw new LikenessError('LIKENESS_SOURCE_INVALID', 'A source needs a name');
    if (!SOURCE_KINDS.includes(input.kind as SourceKind)) {
      throw new LikenessError('LIKENESS_SOURCE_INVALID', `Unknown source kind "${input.kind}"; one of ${SOURCE_KINDS.join(', ')}`);
    }
    if (!LEGAL_BASES.includes(input.legalBasis as LegalBasis)) {
      throw new LikenessError('LIKENESS_SOURCE_INVALID',
        `Unknown legal basis "${input.legalBasis}"; one of GDPR Art. 6's: ${LEGAL_BASES.join(', ')}`);
    }
    if (!input.uri.trim()) throw new LikenessError('LIKENESS_SOURCE_INVALID', 'A source needs a URI (directory, list or URL scope)');
    const jurisdictions = input.jurisdictions.map((j) => j.trim().toUpperCase()).filter(Boolean);
    if (jurisdictions.length === 0) throw new LikenessError('LIKENESS_SOURCE_INVALID', 'A source needs at least one jurisdiction');
    const bad = jurisdictions.find((j) => !JURISDICTION.test(j));
    if (bad) throw new LikenessError('LIKENESS_SOURCE_INVALID', `"${bad}" is not an ISO 3166 code such as FR or US-IL`);
    if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > this.maxRetentionDays) {
      throw new LikenessError('LIKENESS_SOURCE_INVALID',
        `Retention must be a whole number of days from 1 to ${this.maxRetentionDays}, got ${input.retentionDays}`);
    }
    if (await this.store.sources.findByName(name)) throw new LikenessError('LIKENESS_CONFLICT', `A source named "${name}" already exists`);
    if (this.policy) {
      enforce(this.policy.decideSourceDeclaration({
        name, jurisdictions, legalBasis: input.legalBasis, specialCategoryCondition: input.specialCategoryCondition ?? null, retentionDays: input.retentionDays,
      }));
    }

    // docs/architecture.md, "Paths": the folder as it really is now, so "../../etc" or a link
    // cannot widen later what the source may read.
    const uri = input.kind === 'directory' && this.folders ? await this.folders.resolveFolder(input.uri.trim()) : input.uri;
    const gallery = await this.ensureGallery(input.gallery ?? DEFAULT_GALLERY);
    const source: Source = {
      id: this.ids.newId(),
      name,
      galleryId: gallery.id,
      kind: input.kind as SourceKind,
      uri,
      legalBasis: input.legalBasis as LegalBasis,
      specialCategoryCondition: input.specialCategoryCondition ?? null,
      jurisdictions,
      retentionDays: input.retentionDays,
      controller: input.controller ?? null,
      status: 'active',
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.sources.create(source);
    return source;
  }

  async sourceByName(name: string): Promise<Source> {
    const source = await this.store.sources.findByName(name);
    if (!source) {
      throw new LikenessError('LIKENESS_SOURCE_UNDECLARED', `No source named "${name}": declare it first with "likeness source add"`);
    }
    return source;
  }

  listSources(): Promise<Source[]> {
    return this.store.sources.list();
  }

  listGalleries(): Promise<Gallery[]> {
    return this.store.galleries.list();
  }
}
