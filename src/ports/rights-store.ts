import type { ErasureLedgerEntry, SubjectRequest, SuppressionEntry } from '../domain/subjects.ts';

export interface SubjectRequestRepository {
  create(request: SubjectRequest, secret: { tokenHash: string; template: Float32Array }): Promise<void>;
  findById(id: string): Promise<SubjectRequest | undefined>;
  tokenHash(id: string): Promise<string | undefined>;
  update(request: SubjectRequest): Promise<void>;
  /** The selfie template, while the request is open. */
  template(id: string): Promise<Float32Array | undefined>;
  dropTemplate(id: string): Promise<void>;
  /** Requests not yet closed (received or approved), soonest due first. */
  listOpen(): Promise<SubjectRequest[]>;
  list(options: { limit: number }): Promise<SubjectRequest[]>;
}

export interface SuppressionRepository {
  add(entry: SuppressionEntry): Promise<void>;
  list(): Promise<SuppressionEntry[]>;
  /** Changes whenever an entry is added or the list is replaced; cheap to ask for. */
  version(): Promise<string>;
  countForRequest(requestId: string): Promise<number>;
}

export interface ErasureLedgerRepository {
  append(entry: ErasureLedgerEntry): Promise<void>;
  /** In the order recorded. */
  list(): Promise<ErasureLedgerEntry[]>;
  has(id: string): Promise<boolean>;
}

/** Who received a face: one row per search that returned it. */
export interface FaceRecipient {
  faceId: string;
  searchId: string;
  clientId: string;
  clientName: string;
  clientType: string;
  at: string;
}

/** The store behind the rights of the people in the galleries. */
export interface RightsStore {
  readonly requests: SubjectRequestRepository;
  readonly suppression: SuppressionRepository;
  readonly ledger: ErasureLedgerRepository;
  /** Active faces past their expiry, or collected before `createdBefore` (the retention cap). */
  expiredFaceIds(now: string, createdBefore: string, limit: number): Promise<string[]>;
  /** Deletes those of these images that no longer hold a face; returns their ids. */
  deleteImagesWithoutFaces(imageIds: readonly string[]): Promise<string[]>;
  /** From the search records, written in the same transaction as each search's audit entry. */
  recipients(faceIds: readonly string[]): Promise<FaceRecipient[]>;
}
