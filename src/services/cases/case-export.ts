import { createHash } from 'node:crypto';
import { auditIdentity, isLocalOperator, type Actor } from '../../domain/accounts.ts';
import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import { CASE_FORMATS, type CaseFormat, type CaseRenderer } from '../../ports/case-renderer.ts';
import type { CaseFiles } from './case-file.ts';

export interface ExportedCase {
  bytes: Buffer;
  contentType: string;
  sha256: string;
}

/**
 * A case file as a document (docs/architecture.md, "Case work"): it ends with the audit chain's
 * head when it was made, and the export itself goes in the chain with the document's SHA-256.
 */
export class CaseExports {
  constructor(
    private readonly cases: CaseFiles,
    private readonly audit: AuditService,
    private readonly renderers: Record<CaseFormat, CaseRenderer>,
    private readonly clock: Clock,
  ) {}

  async export(who: Actor, caseNumber: string, format: string): Promise<ExportedCase> {
    if (!(CASE_FORMATS as readonly string[]).includes(format)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `format must be one of ${CASE_FORMATS.join(', ')}, got "${format.slice(0, 20)}"`);
    }
    const file = await this.cases.read(who, caseNumber);
    const head = await this.audit.head();
    const renderer = this.renderers[format as CaseFormat];
    const identity = auditIdentity(who);
    const bytes = await renderer.render({
      file,
      exportedAt: this.clock.now().toISOString(),
      exportedBy: isLocalOperator(who) ? who.local : `${who.user.name} (${who.client.name})`,
      auditHead: head ? { seq: head.seq, hash: head.hash } : null,
    });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.audit.record({
      ...identity, action: 'case.export', target: caseNumber,
      details: { format, sha256, auditHeadSeq: head?.seq ?? null, auditHeadHash: head?.hash ?? null, searches: file.searches.length, watches: file.watches.length },
    });
    return { bytes, contentType: renderer.contentType, sha256 };
  }
}
