// Case work (docs/architecture.md, "Case work"): what investigators, supervisors and DPOs do with
// a lead once a search has returned it, and the standing searches that watch for a person.

export const DISPOSITIONS = ['likely-match', 'not-a-match', 'inconclusive'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** A reviewer's judgement of one candidate of a search; a later review of the same candidate supersedes it. */
export interface LeadReview {
  id: string;
  searchId: string;
  faceId: string;
  clientId: string;
  userId: string;
  disposition: Disposition;
  reason: string;
  at: string;
}

export type WatchStatus = 'pending-approval' | 'active';

/** A standing search: the faces of its probes are compared with every face ingested while it is active. */
export interface Watch {
  id: string;
  clientId: string;
  userId: string;
  caseNumber: string;
  purpose: string;
  status: WatchStatus;
  threshold: number;
  /** SHA-256 of each probe image; the images themselves are not kept. */
  probeSha256: string[];
  webhookUrl: string | null;
  createdAt: string;
  expiresAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

/** What a watch's probe keeps: the template of its face, for one purpose only. */
export interface WatchProbe {
  watchId: string;
  seq: number;
  modelId: string;
  template: Float32Array;
}

/** Where a hit's face came from: enough to find the page again, no image bytes, no embedding. */
export interface HitProvenance {
  source: string;
  imageUrl: string | null;
  pageUrl: string | null;
  path: string | null;
  collectedAt: string;
}

export interface WatchHit {
  id: string;
  watchId: string;
  faceId: string;
  score: number;
  falseMatchRate: number;
  provenance: HitProvenance;
  at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** An alert waiting to leave, or that left: its body is fixed when the hit is recorded, and signed when sent. */
export interface OutboxMessage {
  id: string;
  hitId: string;
  watchId: string;
  url: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

/** A face as a takedown sees it: where it was collected, nothing biometric. */
export interface ListedFace {
  id: string;
  imageId: string;
  galleryId: string;
  source: string;
  image: { sha256: string; url: string | null; pageUrl: string | null; path: string | null; collectedAt: string };
  createdAt: string;
  expiresAt: string;
}

export interface FaceOrigin {
  /** Source name. */
  source?: string;
  pageUrl?: string;
  imageUrl?: string;
}
