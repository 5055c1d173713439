import type { AuditService } from '../services/audit/audit-service.ts';
import type { Authenticator } from '../services/accounts/authenticator.ts';
import type { CatalogueAdmin } from '../services/admin/catalogue-admin.ts';
import type { FaceAdmin } from '../services/admin/face-admin.ts';
import type { AccountableSearchService } from '../services/searches/accountable-search-service.ts';
import type { UploadService } from '../services/uploads/upload-service.ts';

/** Everything the HTTP edge calls: services only, never a store. */
export interface ApiServices {
  authenticator: Authenticator;
  catalogue: CatalogueAdmin;
  uploads: UploadService;
  searches: AccountableSearchService;
  faces: FaceAdmin;
  audit: AuditService;
}

export interface ApiLimits {
  /** Largest image file accepted, in bytes. */
  maxImageBytes: number;
  /** Most image files in one upload. */
  maxFiles: number;
}
