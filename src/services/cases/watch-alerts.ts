import { createHmac } from 'node:crypto';
import type { OutboxMessage } from '../../domain/cases.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Webhooks } from '../../ports/webhooks.ts';

export const SIGNATURE_HEADER = 'X-Likeness-Signature';

/** Attempts before an alert is given up; with the back-off below that is about a day and a half. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 3_600_000;
// How long a claimed alert is left to the process sending it before another may try.
const LEASE_MS = 120_000;
const BATCH = 50;

/** `sha256=<hex HMAC-SHA256 of the raw body with the watch's secret>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Delay before attempt n+1 after n failed attempts: 30 s, doubling, at most 6 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failedAttempts - 1));
}

export interface DrainOutcome {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Sends the alerts waiting in the outbox (docs/architecture.md, "Case work"), signed with their
 * watch's secret. Each process that drains claims its messages first, so two never send the same
 * one at once; a failure is retried with back-off, and the last outcome is audited.
 */
export class WatchAlerts {
  constructor(
    private readonly store: Store,
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly webhooks: Webhooks,
    private readonly clock: Clock,
  ) {}

  async drain(): Promise<DrainOutcome> {
    const outcome: DrainOutcome = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.store.cases.outbox.claimDue(now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), BATCH);
      if (claimed.length === 0) break;
      for (const message of claimed) outcome[await this.send(message)]++;
      if (claimed.length < BATCH) break;
    }
    // Templates of watches that ended serve no purpose any more.
    await this.store.cases.watches.dropExpiredProbes(this.clock.now().toISOString());
    return outcome;
  }

  private async send(message: OutboxMessage): Promise<keyof DrainOutcome> {
    const watch = await this.store.cases.watches.findById(message.watchId);
    const secret = await this.store.cases.watches.secret(message.watchId);
    let error: string | null = null;
    try {
      if (!watch || secret === undefined) throw new Error('the watch is no longer on record');
      const { status } = await this.webhooks.post(message.url, message.body, { [SIGNATURE_HEADER]: signature(secret, message.body) },
        { allowPrivate: this.policy.policy.watches.webhookAllowPrivate });
      if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempts = message.attempts + 1;
    const now = this.clock.now();
    const client = watch?.clientId ?? null;
    if (error === null) {
      await this.audit.record({ actor: 'likeness', client, action: 'watch.alert', target: message.watchId, details: { hitId: message.hitId, attempts, delivered: true } },
        (tx) => tx.cases.outbox.update({ ...message, status: 'delivered', attempts, lastError: null, deliveredAt: now.toISOString() }));
      return 'delivered';
    }
    const lastError = error.slice(0, 500);
    if (attempts >= MAX_ATTEMPTS) {
      await this.audit.record({ actor: 'likeness', client, action: 'watch.alert', target: message.watchId, details: { hitId: message.hitId, attempts, delivered: false, error: lastError } },
        (tx) => tx.cases.outbox.update({ ...message, status: 'failed', attempts, lastError }));
      return 'failed';
    }
    await this.store.cases.outbox.update({ ...message, attempts, lastError, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString() });
    return 'retrying';
  }
}
