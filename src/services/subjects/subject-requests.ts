import { timingSafeEqual } from 'node:crypto';
import type { Exclusion, SubjectRequest } from '../../domain/subjects.ts';
import { LikenessError } from '../../errors.ts';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { StrictThreshold } from '../scores/strict-threshold.ts';
import type { SuppressionList } from '../suppression/suppression-list.ts';
import type { AccessReport, AccessReportBuilder } from './access-report.ts';
import { addMonths, daysLeft, isOverdue, MAX_EXTENSION_MONTHS } from '../../domain/subject-deadlines.ts';
import { hashToken } from './subject-intake.ts';
import type { SubjectMatcher } from './subject-matcher.ts';

export interface Actor {
  actor: string;
  client?: string | null;
}

export interface OpenRequestView extends SubjectRequest {
  overdue: boolean;
  daysLeft: number;
}

export interface ExecutionOutcome {
  request: SubjectRequest;
  erased: string[];
  suppressed: boolean;
  invisibleAfterMs: number | null;
}

/**
 * What the DPO does with a subject request: verify and approve (which is when, and only when,
 * the galleries are searched for the subject), reject, extend the deadline, exclude a face that is
 * someone else, and carry it out. Every step is audited; the selfie template is dropped on closing.
 */
export class SubjectRequestService {
  constructor(
    private readonly store: Store,
    private readonly matcher: SubjectMatcher,
    private readonly reports: AccessReportBuilder,
    private readonly erasure: ErasureService,
    private readonly suppression: SuppressionList,
    private readonly audit: AuditService,
    private readonly strict: StrictThreshold,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: string): Promise<SubjectRequest> {
    const request = await this.store.rights.requests.findById(id);
    if (!request) throw new LikenessError('LIKENESS_NOT_FOUND', `No subject request ${id}`);
    return request;
  }

  list(limit = 100): Promise<SubjectRequest[]> {
    return this.store.rights.requests.list({ limit });
  }

  /** The DPO's queue: open requests, soonest due first, overdue ones flagged. */
  async open(): Promise<OpenRequestView[]> {
    const now = this.clock.now();
    return (await this.store.rights.requests.listOpen()).map((r) => ({ ...r, overdue: isOverdue(r, now), daysLeft: daysLeft(r, now) }));
  }

  /** What the requester may see with their token: the receipt until approval, then the report of an access request. */
  async status(id: string, token: string): Promise<{ requestId: string; kind: string; status: string; receivedAt: string; dueAt: string; report?: AccessReport }> {
    const hash = await this.store.rights.requests.tokenHash(id);
    // One answer for a wrong id and a wrong code, so the answer does not tell which ids exist.
    if (!hash || !timingSafeEqual(Buffer.from(hash), Buffer.from(hashToken(token)))) {
      throw new LikenessError('LIKENESS_NOT_FOUND', 'No request with this id and access code');
    }
    const r = await this.get(id);
    const base = { requestId: r.id, kind: r.kind, status: r.status, receivedAt: r.receivedAt, dueAt: r.dueAt };
    return r.kind === 'access' && (r.status === 'approved' || r.status === 'completed') ? { ...base, report: await this.report(id) } : base;
  }

  /**
   * Approves the verification and fixes the faces the request is about. A selfie that failed the
   * liveness check or did not match its document needs a stated reason to be approved anyway.
   */
  async approve(id: string, who: Actor, options: { reason?: string } = {}): Promise<SubjectRequest> {
    const request = await this.inStatus(id, 'received');
    const failed = !request.verification.liveness.passed || request.verification.document?.matched === false;
    const reason = options.reason?.trim() || null;
    if (failed && !reason) {
      throw new LikenessError('LIKENESS_BAD_INPUT', 'The selfie failed verification (liveness or document match); approving it anyway needs a reason');
    }
    const template = await this.template(request);
    const matches = await this.matcher.matches(template, this.strict.threshold);
    const approved: SubjectRequest = {
      ...request, status: 'approved', decision: { by: who.actor, at: this.now(), reason },
      matches: matches.map((m) => ({ faceId: m.faceId, score: m.score })), threshold: this.strict.threshold,
    };
    await this.record(who, 'subject.approve', id, { reason, faces: approved.matches!.length, threshold: this.strict.threshold },
      (tx) => tx.rights.requests.update(approved));
    return approved;
  }

  async reject(id: string, who: Actor, reason: string): Promise<SubjectRequest> {
    if (!reason?.trim()) throw new LikenessError('LIKENESS_BAD_INPUT', 'A rejection needs a reason');
    const request = await this.inStatus(id, 'received');
    const rejected: SubjectRequest = { ...request, status: 'rejected', decision: { by: who.actor, at: this.now(), reason: reason.trim() }, completedAt: this.now() };
    await this.record(who, 'subject.reject', id, { reason: reason.trim() }, async (tx) => {
      await tx.rights.requests.update(rejected);
      await tx.rights.requests.dropTemplate(id);
    });
    return rejected;
  }

  /** Art. 12(3): up to two further months, once, with the reason recorded and told to the subject. */
  async extend(id: string, who: Actor, months: number, reason: string): Promise<SubjectRequest> {
    if (!reason?.trim()) throw new LikenessError('LIKENESS_BAD_INPUT', 'An extension needs a reason');
    if (!Number.isInteger(months) || months < 1 || months > MAX_EXTENSION_MONTHS) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `An extension is 1 to ${MAX_EXTENSION_MONTHS} months, got ${months}`);
    }
    const request = await this.get(id);
    if (request.status === 'rejected' || request.status === 'completed') throw new LikenessError('LIKENESS_CONFLICT', `Request ${id} is ${request.status}`);
    if (request.extension) throw new LikenessError('LIKENESS_CONFLICT', `Request ${id} was already extended to ${request.extension.dueAt}`);
    const dueAt = addMonths(request.originalDueAt, months);
    const extended = { ...request, dueAt, extension: { by: who.actor, at: this.now(), reason: reason.trim(), dueAt } };
    await this.record(who, 'subject.extend', id, { months, reason: reason.trim(), dueAt }, (tx) => tx.rights.requests.update(extended));
    return extended;
  }

  /** Leaves out of the report and of the erasure a face that is clearly someone else. */
  async exclude(id: string, faceId: string, who: Actor, reason: string): Promise<SubjectRequest> {
    if (!reason?.trim()) throw new LikenessError('LIKENESS_BAD_INPUT', 'An exclusion needs a reason');
    const request = await this.inStatus(id, 'approved');
    if (!request.matches?.some((m) => m.faceId === faceId)) throw new LikenessError('LIKENESS_NOT_FOUND', `Face ${faceId} is not in request ${id}`);
    const exclusion: Exclusion = { faceId, reason: reason.trim(), by: who.actor, at: this.now() };
    const updated = { ...request, exclusions: [...request.exclusions.filter((e) => e.faceId !== faceId), exclusion] };
    await this.record(who, 'subject.exclude', id, { faceId, reason: exclusion.reason }, (tx) => tx.rights.requests.update(updated));
    return updated;
  }

  async report(id: string): Promise<AccessReport> {
    const request = await this.get(id);
    if (request.status !== 'approved' && request.status !== 'completed') {
      throw new LikenessError('LIKENESS_CONFLICT', `Request ${id} is ${request.status}: a report exists only once it is approved`);
    }
    const template = await this.store.rights.requests.template(id);
    const suppressed = (await this.store.rights.suppression.countForRequest(id)) > 0
      || (!!template && (await this.suppression.match(template, request.modelId)) !== null);
    return this.reports.build(request, { falseMatchRate: this.strict.fmr, source: this.strict.tableSource }, suppressed, this.clock.now());
  }

  /**
   * Carries out an approved request: an access request is closed as answered; an erasure or an
   * objection erases the matched faces (minus exclusions) and puts the template on the
   * suppression list, so the face is neither collected nor returned again.
   */
  async execute(id: string, who: Actor): Promise<ExecutionOutcome> {
    const request = await this.inStatus(id, 'approved');
    const suppressed = request.kind !== 'access';
    const excluded = new Set(request.exclusions.map((e) => e.faceId));
    const faceIds = suppressed ? (request.matches ?? []).map((m) => m.faceId).filter((f) => !excluded.has(f)) : [];
    const template = suppressed ? await this.template(request) : undefined;
    const completed: SubjectRequest = { ...request, status: 'completed', completedAt: this.now() };
    // The suppression entry, the erasure, the request's closing and their audit entries are one
    // unit: a crash leaves the request approved with nothing done, and carrying it out again
    // finishes it (docs/architecture.md, "Erasure").
    const outcome = await this.erasure.erase({
      faceIds, reason: request.kind === 'objection' ? 'objection' : 'subject-erasure', actor: who.actor, client: who.client, requestId: id,
    }, async (tx, erased) => {
      if (template) await tx.rights.suppression.add({ id: this.ids.newId(), requestId: id, modelId: request.modelId, template, createdAt: this.now() });
      await tx.rights.requests.update(completed);
      await tx.rights.requests.dropTemplate(id);
      return [await this.audit.append(tx, {
        actor: who.actor, client: who.client ?? null, action: 'subject.execute', target: id, details: { kind: request.kind, erased: erased.length, suppressed },
      })];
    });
    return { request: completed, erased: outcome.erased, suppressed, invisibleAfterMs: suppressed ? outcome.invisibleAfterMs : null };
  }

  private async inStatus(id: string, status: SubjectRequest['status']): Promise<SubjectRequest> {
    const request = await this.get(id);
    if (request.status !== status) throw new LikenessError('LIKENESS_CONFLICT', `Request ${id} is ${request.status}, not ${status}`);
    return request;
  }

  private async template(request: SubjectRequest): Promise<Float32Array> {
    const template = await this.store.rights.requests.template(request.id);
    if (!template) throw new LikenessError('LIKENESS_CONFLICT', `Request ${request.id} no longer holds a selfie template`);
    return template;
  }

  /** The change and its audit entry commit together. */
  private async record(who: Actor, action: string, target: string, details: Record<string, unknown>, change: (tx: StoreRepositories) => Promise<void>): Promise<void> {
    await this.audit.record({ actor: who.actor, client: who.client ?? null, action, target, details }, change);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
