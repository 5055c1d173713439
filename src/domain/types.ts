// The domain model (docs/architecture.md, "Domain model"), as plain data shared by services and stores.

export const LEGAL_BASES = [
  'consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const SOURCE_KINDS = ['directory', 'url-list', 'upload', 'targeted-site'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Gallery {
  id: string;
  name: string;
  createdAt: string;
}

export interface Source {
  id: string;
  name: string;
  galleryId: string;
  kind: SourceKind;
  uri: string;
  legalBasis: LegalBasis;
  specialCategoryCondition: string | null;
  jurisdictions: string[];
  retentionDays: number;
  controller: string | null;
  status: 'active' | 'paused' | 'retired';
  createdAt: string;
}

export interface ImageRecord {
  id: string;
  sourceId: string;
  sha256: string;
  perceptualHash: string;
  path: string | null;
  url: string | null;
  pageUrl: string | null;
  width: number;
  height: number;
  collectedAt: string;
  /** The policy decision that let the image in (outcome and rule set hash), as JSON text. */
  policyDecision?: string | null;
}

export interface Box { x: number; y: number; width: number; height: number }
export type Point = [number, number];

export interface FaceQuality {
  /** Shorter side of the face box in pixels of the original image. */
  size: number;
  detectionScore: number;
  /** Variance of the Laplacian on the aligned crop: low means blurred. */
  sharpness: number;
  /** Rough head pose from the 5 landmarks, in degrees. */
  yaw: number;
  roll: number;
}

export interface FaceRecord {
  id: string;
  imageId: string;
  galleryId: string;
  /** Position of the face in the index; stable for the life of the face. */
  vectorKey: number;
  box: Box;
  landmarks: Point[];
  quality: FaceQuality;
  modelId: string;
  expiresAt: string;
  status: 'active' | 'deleted';
  createdAt: string;
}
