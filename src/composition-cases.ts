import type { FaceEngine } from './ports/face-engine.ts';
import { HtmlCaseRenderer } from './engines/documents/case-html.ts';
import { PdfCaseRenderer } from './engines/documents/case-pdf.ts';
import { HttpWebhooks } from './engines/webhooks/http-webhooks.ts';
import type { Store } from './ports/store.ts';
import type { AuditService } from './services/audit/audit-service.ts';
import type { Authoriser } from './services/authorisation/authoriser.ts';
import { CaseExports } from './services/cases/case-export.ts';
import { CaseFiles } from './services/cases/case-file.ts';
import { LeadReviews } from './services/cases/lead-reviews.ts';
import { WatchAlerts } from './services/cases/watch-alerts.ts';
import { WatchMatcher } from './services/cases/watch-matcher.ts';
import { WatchService } from './services/cases/watches.ts';
import type { PolicyService } from './services/policy/policy-service.ts';
import type { Clock } from './ports/clock.ts';
import type { IdGenerator } from './ports/ids.ts';
import type { RandomBytes } from './ports/random-bytes.ts';
import type { Webhooks } from './ports/webhooks.ts';
import type { FalseMatchRate } from './services/scores/false-match-rate.ts';

/** Case work as the composition root wires it (docs/architecture.md, "Case work"). */
export interface Casework {
  reviews: LeadReviews;
  caseFiles: CaseFiles;
  caseExports: CaseExports;
  watches: WatchService;
  /** Sends the alerts waiting in the outbox: by `likeness serve` on a timer, and at the end of `likeness ingest`. */
  watchAlerts: WatchAlerts;
  /** Given to every ingestion path, so each committed face is matched against the active watches. */
  watchMatcher: WatchMatcher;
}

export interface CaseworkDependencies {
  store: Store;
  policy: PolicyService;
  audit: AuditService;
  /** Who may read a case file's records and review a search (docs/architecture.md, "Authorisation"). */
  authoriser: Authoriser;
  fmr: FalseMatchRate;
  engine: () => Promise<FaceEngine>;
  threshold: number;
  clock: Clock;
  ids: IdGenerator;
  random: RandomBytes;
  webhooks?: Webhooks;
}

export function buildCasework(d: CaseworkDependencies): Casework {
  const webhooks = d.webhooks ?? new HttpWebhooks();
  const caseFiles = new CaseFiles(d.store, d.fmr, d.clock, d.authoriser);
  return {
    reviews: new LeadReviews(d.store, d.audit, d.authoriser, d.clock, d.ids),
    caseFiles,
    caseExports: new CaseExports(caseFiles, d.audit, { pdf: new PdfCaseRenderer(), html: new HtmlCaseRenderer() }, d.clock),
    watches: new WatchService(d.store, d.policy, d.audit, d.engine, webhooks, d.threshold, d.clock, d.ids, d.random),
    watchAlerts: new WatchAlerts(d.store, d.policy, d.audit, webhooks, d.clock),
    watchMatcher: new WatchMatcher(d.policy, d.audit, d.fmr, d.clock, d.ids),
  };
}
