import type { AuditEntry } from '../domain/accounts.ts';
import type { ImageRecord, Source } from '../domain/types.ts';
import type { NewFace, StoreRepositories } from './store.ts';

export interface IngestedImage {
  source: Source;
  image: ImageRecord;
  faces: readonly NewFace[];
  /** Who ingests, as the image's audit entry names them. */
  actor: { actor: string; client: string | null };
}

/**
 * Told of every image as it is committed, inside the same store transaction (e.g. to match its
 * faces against standing searches): what it writes commits with the image or not at all.
 * Returns the audit entries it appended.
 */
export interface IngestObserver {
  withinCommit(tx: StoreRepositories, ingested: IngestedImage): Promise<AuditEntry[]>;
}
