// Data subjects and their rights (docs/architecture.md, "Domain model": Subject request, Suppression entry; and "Subject rights").

export const SUBJECT_REQUEST_KINDS = ['access', 'erasure', 'objection'] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];

/** received -> approved -> completed, or received -> rejected. */
export type SubjectRequestStatus = 'received' | 'approved' | 'rejected' | 'completed';

export interface Verification {
  /** Liveness of the selfie: the model's probability that a live person took it. */
  liveness: { score: number; passed: boolean; modelId: string };
  /** Selfie against the face on the identity document, when one was given. */
  document: { score: number; matched: boolean; threshold: number } | null;
}

export interface Decision {
  by: string;
  at: string;
  reason: string | null;
}

export interface Extension {
  by: string;
  at: string;
  reason: string;
  /** The due date after the extension. */
  dueAt: string;
}

/** A gallery face matched to the subject at the strict threshold, fixed when the request is approved. */
export interface SubjectMatch {
  faceId: string;
  score: number;
}

export interface Exclusion {
  faceId: string;
  reason: string;
  by: string;
  at: string;
}

export interface SubjectRequest {
  id: string;
  kind: SubjectRequestKind;
  contact: string;
  status: SubjectRequestStatus;
  receivedAt: string;
  dueAt: string;
  /** The due date with no extension: received + 1 month. */
  originalDueAt: string;
  extension: Extension | null;
  verification: Verification;
  decision: Decision | null;
  /** Null until approval; the access report and the erasure act on these faces, minus exclusions. */
  matches: SubjectMatch[] | null;
  threshold: number | null;
  exclusions: Exclusion[];
  completedAt: string | null;
  modelId: string;
}

/** A template kept for one purpose only: to stop a person's face from being collected or returned again. */
export interface SuppressionEntry {
  id: string;
  requestId: string | null;
  modelId: string;
  template: Float32Array;
  createdAt: string;
}

export const ERASURE_REASONS = ['subject-erasure', 'objection', 'operator', 'retention'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** What was erased, so a restored backup can erase it again: ids and content hashes, no biometric data. */
export interface ErasureLedgerEntry {
  id: string;
  at: string;
  actor: string;
  reason: ErasureReason;
  requestId: string | null;
  faceIds: string[];
  imageSha256: string[];
}
