import { createHash } from 'node:crypto';
import { SUBJECT_REQUEST_KINDS, type SubjectRequest, type SubjectRequestKind, type Verification } from '../../domain/subjects.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import type { SelfieAnalyser } from '../../ports/selfie-analyser.ts';
import { addMonths, ANSWER_MONTHS } from '../../domain/subject-deadlines.ts';

export interface SubjectFiling {
  kind: string;
  contact: string;
  selfie: Uint8Array;
  document?: Uint8Array;
  /** Who filed it: `anonymous` over the public endpoint, the operating-system user on the CLI. */
  actor: string;
}

/** All a requester learns on filing: nothing about the galleries, only the receipt. */
export interface SubjectReceipt {
  requestId: string;
  status: 'received';
  receivedAt: string;
  dueAt: string;
  /** Shown once: with it, and only with it, the requester can follow the request. */
  accessToken: string;
}

export interface VerificationPolicy {
  /** Liveness score (class "live") at or above which the selfie passes. */
  livenessThreshold: number;
  /** Selfie against the document photo: the same-person threshold. */
  documentThreshold: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Files a subject request (docs/architecture.md, "Subject rights"): checks the selfie's liveness and, when given,
 * its match with the identity document, keeps only the selfie's template (never the photos),
 * and answers "received, due by DATE" — no gallery is searched before a DPO approves.
 */
export class SubjectIntake {
  constructor(
    private readonly store: Store,
    private readonly selfies: SelfieAnalyser,
    private readonly audit: AuditService,
    private readonly policy: VerificationPolicy,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly random: RandomBytes,
  ) {}

  async file(filing: SubjectFiling): Promise<SubjectReceipt> {
    const kind = filing.kind as SubjectRequestKind;
    if (!SUBJECT_REQUEST_KINDS.includes(kind)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `The kind of request must be ${SUBJECT_REQUEST_KINDS.join(', ')}; got "${filing.kind}"`);
    }
    const contact = filing.contact.trim();
    if (!EMAIL.test(contact) || contact.length > 254) throw new LikenessError('LIKENESS_BAD_INPUT', 'A contact e-mail address is required to send the answer to');
    const selfie = await this.selfies.analyse(filing.selfie, { liveness: true });
    const verification: Verification = {
      liveness: { score: selfie.liveness!.score, passed: selfie.liveness!.score >= this.policy.livenessThreshold, modelId: selfie.liveness!.modelId },
      document: null,
    };
    if (filing.document) {
      const doc = await this.selfies.analyse(filing.document, { liveness: false });
      const score = dot(selfie.embedding, doc.embedding);
      verification.document = { score, matched: score >= this.policy.documentThreshold, threshold: this.policy.documentThreshold };
    }
    const receivedAt = this.clock.now().toISOString();
    const dueAt = addMonths(receivedAt, ANSWER_MONTHS);
    const request: SubjectRequest = {
      id: this.ids.newId(), kind, contact, status: 'received', receivedAt, dueAt, originalDueAt: dueAt, extension: null,
      verification, decision: null, matches: null, threshold: null, exclusions: [], completedAt: null, modelId: selfie.modelId,
    };
    const accessToken = this.random.bytes(24).toString('base64url');
    await this.audit.record({
      actor: filing.actor, client: null, action: 'subject.request', target: request.id,
      details: { kind, dueAt, liveness: verification.liveness, document: verification.document },
    }, (tx) => tx.rights.requests.create(request, { tokenHash: hashToken(accessToken), template: selfie.embedding }));
    return { requestId: request.id, status: 'received', receivedAt, dueAt, accessToken };
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
