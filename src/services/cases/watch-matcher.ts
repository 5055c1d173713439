import type { AuditEntry } from '../../domain/accounts.ts';
import type { HitProvenance, OutboxMessage, WatchHit } from '../../domain/cases.ts';
import type { StoreRepositories } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { IngestedImage, IngestObserver } from '../../ports/ingest-observer.ts';
import type { FalseMatchRate } from '../scores/false-match-rate.ts';

/** The JSON body of an alert: who to tell about which face, never image bytes or an embedding. */
export interface AlertBody {
  watchId: string;
  caseNumber: string;
  hitId: string;
  faceId: string;
  score: number;
  falseMatchRate: number;
  falseMatchRateIsUpperBound: boolean;
  provenance: HitProvenance;
  at: string;
}

/**
 * Matches every face as it is ingested, by any path and in any process, against the watches
 * active at that moment (docs/architecture.md, "Case work"). A hit, its audit entry and the
 * alert waiting in the outbox commit with the image itself: an image on record with a face that
 * matched is never without its hit, and a hit never without its alert.
 */
export class WatchMatcher implements IngestObserver {
  constructor(
    private readonly policy: PolicyService,
    private readonly audit: AuditService,
    private readonly fmr: FalseMatchRate,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async withinCommit(tx: StoreRepositories, ingested: IngestedImage): Promise<AuditEntry[]> {
    if (!this.policy.policy.watches.enabled || ingested.faces.length === 0) return [];
    const now = this.clock.now().toISOString();
    const active = await tx.cases.watches.listActive(now);
    const entries: AuditEntry[] = [];
    for (const { watch, probes } of active) {
      for (const face of ingested.faces) {
        let best = -Infinity;
        for (const probe of probes) {
          if (probe.modelId === face.modelId && probe.template.length === face.embedding.length) best = Math.max(best, dot(probe.template, face.embedding));
        }
        if (best < watch.threshold) continue;
        const reading = this.fmr.at(best);
        const hit: WatchHit = {
          id: this.ids.newId(), watchId: watch.id, faceId: face.id, score: best, falseMatchRate: reading.fmr, at: now,
          provenance: {
            source: ingested.source.name, imageUrl: ingested.image.url, pageUrl: ingested.image.pageUrl,
            path: ingested.image.path, collectedAt: ingested.image.collectedAt,
          },
        };
        await tx.cases.hits.create(hit);
        if (watch.webhookUrl) {
          const body: AlertBody = {
            watchId: watch.id, caseNumber: watch.caseNumber, hitId: hit.id, faceId: face.id, score: best,
            falseMatchRate: reading.fmr, falseMatchRateIsUpperBound: reading.upperBound, provenance: hit.provenance, at: now,
          };
          const message: OutboxMessage = {
            id: this.ids.newId(), hitId: hit.id, watchId: watch.id, url: watch.webhookUrl, body: JSON.stringify(body),
            status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, deliveredAt: null,
          };
          await tx.cases.outbox.add(message);
        }
        // Under the watch's client, so its supervisors and auditors see the hit in their log.
        entries.push(await this.audit.append(tx, {
          actor: ingested.actor.actor, client: watch.clientId, action: 'watch.hit', target: watch.id,
          details: { hitId: hit.id, caseNumber: watch.caseNumber, faceId: face.id, imageId: ingested.image.id, score: best, falseMatchRate: reading.fmr },
        }));
      }
    }
    return entries;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
