import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import type { Watch, WatchProbe } from '../../domain/cases.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import { isLikenessError, LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { RandomBytes } from '../../ports/random-bytes.ts';
import type { Webhooks } from '../../ports/webhooks.ts';

export interface WatchInput {
  caseNumber?: string;
  purpose?: string;
  expiresInDays?: number;
  webhookUrl?: string;
}

export interface FiledWatch {
  id: string;
  status: 'pending-approval';
  /** Signs every alert of this watch (X-Likeness-Signature); shown once, here. */
  secret: string;
  expiresAt: string;
}

export const MAX_WATCH_PROBES = 5;
const DAY_MS = 86_400_000;
const MAX_TEXT = 500;

/**
 * Standing searches (docs/architecture.md, "Case work"): an investigator files one for a case;
 * it stays inactive until a supervisor of the same client, not its filer, approves it, and ends
 * on its date, at most the policy's `watches.maxDays` after filing. Its probes are kept as their
 * SHA-256 and the template of their largest face, never as images.
 */
export class WatchService {
  constructor(
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly engine: () => Promise<FaceEngine>,
    private readonly webhooks: Webhooks,
    private readonly threshold: number,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly random: RandomBytes,
  ) {}

  async file(who: Principal, probes: readonly Uint8Array[], input: WatchInput): Promise<FiledWatch> {
    const identity = { actor: who.user.id, client: who.client.id };
    const caseNumber = input.caseNumber?.trim() ?? '';
    const purpose = input.purpose?.trim() ?? '';
    const probeSha256 = probes.map((p) => createHash('sha256').update(p).digest('hex'));
    try {
      const rules = this.policy.policy.watches;
      if (!rules.enabled) throw denied('watches-disabled', 'standing searches are not enabled by the policy (watches.enabled)');
      if (!who.user.roles.includes('investigator')) throw new LikenessError('LIKENESS_FORBIDDEN', 'Only investigators file watches');
      if (!caseNumber || caseNumber.length > MAX_TEXT) throw unjustified('case-number-required', 'a watch states the case number it serves');
      if (!purpose || purpose.length > MAX_TEXT) throw unjustified('purpose-required', 'a watch states its purpose');
      const days = input.expiresInDays;
      if (days === undefined || !Number.isInteger(days) || days < 1) throw new LikenessError('LIKENESS_BAD_INPUT', 'expiresInDays must be a whole number of days, 1 or more');
      if (days > rules.maxDays) throw denied('watch-max-days', `a watch runs at most ${rules.maxDays} days (watches.maxDays); asked for ${days}`);
      if (probes.length < 1 || probes.length > MAX_WATCH_PROBES) throw new LikenessError('LIKENESS_BAD_INPUT', `A watch takes 1 to ${MAX_WATCH_PROBES} images`);
      const webhookUrl = input.webhookUrl?.trim() || null;
      if (webhookUrl) await this.webhooks.check(webhookUrl, { allowPrivate: rules.webhookAllowPrivate });

      const engine = await this.engine();
      const id = this.ids.newId();
      const templates: WatchProbe[] = [];
      for (const [seq, bytes] of probes.entries()) {
        const analysed = await engine.analyse(bytes);
        const face = analysed.faces[0];
        if (!face) throw new LikenessError('LIKENESS_NO_FACE', `Image ${seq + 1} of the watch has no face`);
        templates.push({ watchId: id, seq, modelId: engine.modelId, template: face.embedding });
      }
      const now = this.clock.now();
      const watch: Watch = {
        id, clientId: who.client.id, userId: who.user.id, caseNumber, purpose, status: 'pending-approval', threshold: this.threshold,
        probeSha256, webhookUrl, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + days * DAY_MS).toISOString(),
        approvedBy: null, approvedAt: null,
      };
      const secret = this.random.bytes(32).toString('hex');
      await this.audit.record({
        ...identity, action: 'watch.file', target: id,
        details: { caseNumber, purpose, probeSha256, expiresAt: watch.expiresAt, webhookUrl, threshold: watch.threshold },
      }, (tx) => tx.cases.watches.create(watch, templates, secret));
      return { id, status: 'pending-approval', secret, expiresAt: watch.expiresAt };
    } catch (error) {
      await this.audit.record({
        ...identity, action: 'watch.refused', target: null,
        details: { caseNumber, purpose, probeSha256, code: isLikenessError(error) ? error.code : 'LIKENESS_INTERNAL', ...ruleOf(error) },
      });
      throw error;
    }
  }

  /** A supervisor of the watch's client, other than its filer, puts it in force. */
  async approve(who: Principal, id: string): Promise<Watch> {
    const watch = await this.store.cases.watches.findById(id);
    if (!watch || watch.clientId !== who.client.id) throw new LikenessError('LIKENESS_NOT_FOUND', `No watch ${id.slice(0, 100)} of your client`);
    if (!who.user.roles.includes('supervisor')) throw new LikenessError('LIKENESS_FORBIDDEN', 'Only a supervisor approves a watch');
    if (watch.userId === who.user.id) throw new LikenessError('LIKENESS_FORBIDDEN', 'A watch is approved by another person than the one who filed it');
    const now = this.clock.now().toISOString();
    if (watch.expiresAt <= now) throw new LikenessError('LIKENESS_CONFLICT', `Watch ${id} expired at ${watch.expiresAt}`);
    if (!this.policy.policy.watches.enabled) throw denied('watches-disabled', 'standing searches are not enabled by the policy (watches.enabled)');
    await this.audit.record({ actor: who.user.id, client: who.client.id, action: 'watch.approve', target: id, details: { caseNumber: watch.caseNumber } },
      async (tx) => {
        if (!await tx.cases.watches.approve(id, who.user.id, now)) throw new LikenessError('LIKENESS_CONFLICT', `Watch ${id} is ${watch.status}, not awaiting approval`);
      });
    return { ...watch, status: 'active', approvedBy: who.user.id, approvedAt: now };
  }
}

function denied(ruleId: string, message: string): LikenessError {
  return new LikenessError('LIKENESS_POLICY_DENIED', `denied by rule \`${ruleId}\`: ${message}`, { details: { ruleId } });
}

function unjustified(ruleId: string, message: string): LikenessError {
  return new LikenessError('LIKENESS_SEARCH_UNJUSTIFIED', `denied by rule \`${ruleId}\`: ${message}`, { details: { ruleId } });
}

function ruleOf(error: unknown): { ruleId?: unknown } {
  return isLikenessError(error) && error.details?.ruleId !== undefined ? { ruleId: error.details.ruleId } : {};
}
