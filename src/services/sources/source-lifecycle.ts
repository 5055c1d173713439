import { LEGAL_BASES, type LegalBasis, type Source } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import { enforce } from '../policy/decision.ts';
import { isJurisdiction } from '../policy/jurisdiction.ts';
import type { PolicyService } from '../policy/policy-service.ts';

/** Who asks: a user of a client over the API, or the operating-system user at the console. */
export interface Actor {
  actor: string;
  client: string | null;
}

export interface SourceChanges {
  legalBasis?: string;
  retentionDays?: number;
  jurisdictions?: string[];
  /** null clears it. */
  specialCategoryCondition?: string | null;
  controller?: string | null;
}

export interface RetireResult {
  source: Source;
  /** Faces deleted with the source; 0 unless erasure was asked for. */
  erased: number;
}

/**
 * A declared source after its declaration: amended, paused, resumed, retired. Every change is
 * checked against the policy as a new declaration would be, and is audited with what changed.
 * A retired source takes no images again; its faces may be erased with it.
 */
export class SourceLifecycle {
  constructor(
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly erasure: () => Promise<ErasureService>,
    private readonly maxRetentionDays: number,
  ) {}

  async update(who: Actor, name: string, changes: SourceChanges): Promise<Source> {
    const source = await this.find(name);
    if (source.status === 'retired') throw inactive(source);
    const updated: Source = { ...source };
    if (changes.legalBasis !== undefined) {
      if (!LEGAL_BASES.includes(changes.legalBasis as LegalBasis)) {
        throw invalid(`Unknown legal basis "${changes.legalBasis}"; one of GDPR Art. 6's: ${LEGAL_BASES.join(', ')}`);
      }
      updated.legalBasis = changes.legalBasis as LegalBasis;
    }
    if (changes.retentionDays !== undefined) {
      if (!Number.isInteger(changes.retentionDays) || changes.retentionDays < 1 || changes.retentionDays > this.maxRetentionDays) {
        throw invalid(`Retention must be a whole number of days from 1 to ${this.maxRetentionDays}, got ${changes.retentionDays}`);
      }
      updated.retentionDays = changes.retentionDays;
    }
    if (changes.jurisdictions !== undefined) {
      const codes = changes.jurisdictions.map((j) => j.trim().toUpperCase()).filter(Boolean);
      if (codes.length === 0) throw invalid('A source needs at least one jurisdiction');
      const bad = codes.find((j) => !isJurisdiction(j));
      if (bad) throw invalid(`"${bad}" is not an ISO 3166 code such as FR or US-IL`);
      updated.jurisdictions = codes;
    }
    if (changes.specialCategoryCondition !== undefined) updated.specialCategoryCondition = changes.specialCategoryCondition?.trim() || null;
    if (changes.controller !== undefined) updated.controller = changes.controller?.trim() || null;

    const changed = diff(source, updated);
    if (Object.keys(changed).length === 0) return source;
    enforce(this.policy.decideSourceDeclaration(updated));
    await this.store.sources.update(updated);
    await this.audit.record({ ...who, action: 'source.update', target: source.id, details: { name: source.name, changed } });
    return updated;
  }

  async pause(who: Actor, name: string): Promise<Source> {
    const source = await this.find(name);
    if (source.status === 'retired') throw inactive(source);
    return this.setStatus(who, source, 'paused', 'source.pause');
  }

  /** A paused source takes images again, if the policy in force still allows it. */
  async resume(who: Actor, name: string): Promise<Source> {
    const source = await this.find(name);
    if (source.status === 'retired') throw inactive(source);
    enforce(this.policy.decideSourceDeclaration(source));
    return this.setStatus(who, source, 'active', 'source.resume');
  }

  /**
   * Stops the source for good. With `erase`, its faces are erased (ledger entry included): gone
   * from search before this returns, from the files at the next compaction and checkpoint.
   */
  async retire(who: Actor, name: string, options: { erase: boolean }): Promise<RetireResult> {
    const source = await this.find(name);
    const retired = source.status === 'retired' ? source : { ...source, status: 'retired' as const };
    if (retired !== source) await this.store.sources.update(retired);
    let erased = 0;
    if (options.erase) {
      const ids = await this.store.faces.activeIdsBySource(source.id);
      if (ids.length > 0) {
        const outcome = await (await this.erasure()).erase({ faceIds: ids, reason: 'operator', actor: who.actor, client: who.client });
        erased = outcome.erased.length;
      }
    }
    await this.audit.record({ ...who, action: 'source.retire', target: source.id, details: { name: source.name, erase: options.erase, erased } });
    return { source: retired, erased };
  }

  private async setStatus(who: Actor, source: Source, status: Source['status'], action: string): Promise<Source> {
    if (source.status === status) return source;
    const updated = { ...source, status };
    await this.store.sources.update(updated);
    await this.audit.record({ ...who, action, target: source.id, details: { name: source.name, from: source.status, to: status } });
    return updated;
  }

  private async find(name: string): Promise<Source> {
    const source = await this.store.sources.findByName(name);
    if (!source) throw new LikenessError('LIKENESS_NOT_FOUND', `No source named "${name}"`);
    return source;
  }
}

const FIELDS = ['legalBasis', 'retentionDays', 'jurisdictions', 'specialCategoryCondition', 'controller'] as const;

function diff(before: Source, after: Source): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changed[field] = { from: before[field], to: after[field] };
  }
  return changed;
}

function invalid(message: string): LikenessError {
  return new LikenessError('LIKENESS_SOURCE_INVALID', message);
}

function inactive(source: Source): LikenessError {
  return new LikenessError('LIKENESS_SOURCE_INACTIVE', `Source "${source.name}" is retired; a retired source stays retired`);
}
