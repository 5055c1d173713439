import type { Likeness } from '../composition.ts';
import { AccountsService } from '../services/accounts/accounts-service.ts';
import { Authenticator } from '../services/accounts/authenticator.ts';
import { CatalogueAdmin } from '../services/admin/catalogue-admin.ts';
import { FaceAdmin } from '../services/admin/face-admin.ts';
import { AuditService } from '../services/audit/audit-service.ts';
import type { PolicyService } from '../services/policy/policy-service.ts';
import type { Clock } from '../services/ports/clock.ts';
import { systemClock } from '../services/ports/clock.ts';
import { randomIds, type IdGenerator } from '../services/ports/ids.ts';
import { systemRandom } from '../services/ports/random-bytes.ts';
import type { FalseMatchRate } from '../services/scores/false-match-rate.ts';
import { AccountableSearchService } from '../services/searches/accountable-search-service.ts';
import { UploadService } from '../services/uploads/upload-service.ts';
import { diskFileReader } from '../repositories/files/disk-file-reader.ts';
import { DetectionService } from '../services/detections/detection-service.ts';
import { FaceViews } from '../services/faces/face-views.ts';
import { GalleryAccess } from '../services/faces/gallery-access.ts';
import { TransparencyService } from '../services/transparency/transparency-service.ts';
import type { ApiServices } from './api-services.ts';
import type { Rights } from '../rights.ts';

export interface AssembleOptions {
  policy: PolicyService;
  fmr: FalseMatchRate;
  clock?: Clock;
  ids?: IdGenerator;
  /** Subject requests and the DPO's desk (openRights); left out, the API has no such routes. */
  rights?: Rights;
}

/** The API's services on top of an opened likeness; the face engine still loads on first use. */
export function apiServices(likeness: Likeness, options: AssembleOptions): ApiServices & { accounts: AccountsService } {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const { store, catalogue } = likeness;
  const audit = new AuditService(store, clock);
  return {
    audit,
    accounts: new AccountsService(store, audit, clock, ids, systemRandom),
    authenticator: new Authenticator(store, audit, clock),
    catalogue: new CatalogueAdmin(catalogue, audit),
    uploads: new UploadService({ engine: likeness.engine, indexes: likeness.indexes, store, catalogue, audit, clock, ids, gates: likeness.collectionGates }),
    searches: new AccountableSearchService(likeness.search, store, options.policy, audit, options.fmr, clock, ids),
    faces: new FaceAdmin(likeness.faces, likeness.erasure, audit),
    policy: options.policy,
    sources: likeness.sources,
    detections: new DetectionService(likeness.engine, audit),
    faceViews: new FaceViews(store, diskFileReader, new GalleryAccess(store, options.policy)),
    transparency: new TransparencyService(store, likeness.config.retention.maxDays),
    rights: options.rights,
  };
}
