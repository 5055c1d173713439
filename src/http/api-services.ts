import type { AuditService } from '../services/audit/audit-service.ts';
import type { Rights } from '../composition.ts';
import type { Authenticator } from '../services/accounts/authenticator.ts';
import type { SignInService } from '../services/accounts/sign-in.ts';
import type { CatalogueAdmin } from '../services/admin/catalogue-admin.ts';
import type { FaceAdmin } from '../services/admin/face-admin.ts';
import type { AccountsAdmin } from '../services/admin/accounts-admin.ts';
import type { FacesByOrigin } from '../services/faces/faces-by-origin.ts';
import type { Casework } from '../composition-cases.ts';
import type { AccountableSearchService } from '../services/searches/accountable-search-service.ts';
import type { UploadService } from '../services/uploads/upload-service.ts';
import type { PolicyService } from '../services/policy/policy-service.ts';
import type { SourceLifecycle } from '../services/sources/source-lifecycle.ts';
import type { DetectionService } from '../services/detections/detection-service.ts';
import type { FaceViews } from '../services/faces/face-views.ts';
import type { Authoriser } from '../services/authorisation/authoriser.ts';
import type { TransparencyService } from '../services/transparency/transparency-service.ts';

/** What the web UI needs besides the core API: face boxes before a search, crops, the public summary. */
export interface UiServices {
  /** The one decision on every read and write of a face, image, report or search record. */
  authoriser: Authoriser;
  detections: DetectionService;
  faceViews: FaceViews;
  transparency: TransparencyService;
}

/** Everything the HTTP edge calls: services only, never a store. */
export interface ApiServices extends UiServices, Pick<Casework, 'reviews' | 'caseFiles' | 'caseExports' | 'watches'> {
  authenticator: Authenticator;
  /** People's sessions (cookie and CSRF token), beside the programs' API keys. */
  signIn: SignInService;
  catalogueAdmin: CatalogueAdmin;
  /** Clients, grants, users, roles and keys, for the controller's admins. */
  accountsAdmin: AccountsAdmin;
  uploads: UploadService;
  searches: AccountableSearchService;
  faces: FaceAdmin;
  /** Faces listed by source, page or image URL. */
  facesByOrigin: FacesByOrigin;
  audit: AuditService;
  /** Consulted on every protected request: a refused client is refused everywhere. */
  policy: PolicyService;
  sources: SourceLifecycle;
  /** Subject requests and the DPO's desk. */
  rights: Rights;
}

export interface ApiLimits {
  /** Largest image file accepted, in bytes. */
  maxImageBytes: number;
  /** Most image files in one upload. */
  maxFiles: number;
  /** Body bytes all requests together may be reading at once (server-limits.ts has the defaults). */
  maxBytesInFlight?: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs?: number;
  /** Time to receive a request's headers. */
  headersTimeoutMs?: number;
}
