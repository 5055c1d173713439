import type { AuditEntry } from '../domain/accounts.ts';
import type { ImageRecord, Source } from '../domain/types.ts';
import type { GalleryIndexes } from '../ports/gallery-indexes.ts';
import type { IngestObserver } from '../ports/ingest-observer.ts';
import type { NewFace, Store, StoreRepositories } from '../ports/store.ts';
import type { AuditService } from './audit/audit-service.ts';

/** An analysed image, ready to be stored: its row and the faces kept. */
export interface PreparedImage {
  image: ImageRecord;
  faces: NewFace[];
}

export type CommitOutcome =
  | { kind: 'stored'; faces: number }
  /** The source already holds these bytes: a copy analysed beside it, or committed by another run. */
  | { kind: 'skipped' }
  | { kind: 'failed'; error: unknown };

/**
 * Commits analysed images of one source, several to a store transaction. Each image still commits
 * whole with its faces, its `ingest.image` audit entry and what the observers write
 * (docs/architecture.md, "Store-wide transactions"): a transaction holds whole images only, so a
 * process killed at any point leaves every image either stored with its audit record or absent.
 * Grouping spares each image the cost of a transaction of its own (the write lock, the commit,
 * the index call) on the thread that also feeds the face workers.
 */
export class IngestCommitter {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    /** Only its detached part: where the store's rows are the index, committing indexes. */
    private readonly indexes: Pick<GalleryIndexes, 'detached'>,
    private readonly observers: readonly IngestObserver[],
    private readonly source: Source,
    private readonly actor: { actor: string; client: string | null },
  ) {}

  /** One outcome per image, in order; never throws. */
  async commit(batch: readonly PreparedImage[]): Promise<CommitOutcome[]> {
    const outcomes: CommitOutcome[] = new Array<CommitOutcome>(batch.length);
    // Copies of one file analysed at the same time: the first is stored, the others are skips.
    const seen = new Set<string>();
    const unique: number[] = [];
    batch.forEach((prepared, i) => {
      if (seen.has(prepared.image.sha256)) outcomes[i] = { kind: 'skipped' };
      else {
        seen.add(prepared.image.sha256);
        unique.push(i);
      }
    });
    const group = unique.map((i) => batch[i]!);
    let keys: number[][];
    try {
      keys = await this.write(group);
    } catch (error) {
      // One image the store refuses (a copy another process stored meanwhile) must not sink
      // the others: each is tried again in a transaction of its own.
      for (const i of unique) outcomes[i] = group.length === 1 ? await this.afterRefusal(batch[i]!, error) : await this.commitAlone(batch[i]!);
      return outcomes;
    }
    const indexed = await this.index(group, keys);
    for (const i of unique) outcomes[i] = indexed ?? { kind: 'stored', faces: batch[i]!.faces.length };
    return outcomes;
  }

  private async commitAlone(prepared: PreparedImage): Promise<CommitOutcome> {
    let keys: number[][];
    try {
      keys = await this.write([prepared]);
    } catch (error) {
      return this.afterRefusal(prepared, error);
    }
    return (await this.index([prepared], keys)) ?? { kind: 'stored', faces: prepared.faces.length };
  }

  /** A refused insert of bytes the source now holds is a skip (two workers raced on copies of one file). */
  private async afterRefusal(prepared: PreparedImage, error: unknown): Promise<CommitOutcome> {
    if (await this.store.images.findBySha256(this.source.id, prepared.image.sha256)) return { kind: 'skipped' };
    return { kind: 'failed', error };
  }

  private async write(group: readonly PreparedImage[]): Promise<number[][]> {
    const committed = await this.store.transaction(async (tx) => {
      const keys: number[][] = [];
      const entries: AuditEntry[] = [];
      for (const prepared of group) {
        keys.push(await tx.images.insertWithFaces(prepared.image, prepared.faces));
        entries.push(...await this.recordWithin(tx, prepared));
      }
      return { keys, entries };
    });
    this.audit.committed(committed.entries);
    return committed.keys;
  }

  /** The image's audit entry names it and its faces, and commits with them (docs/architecture.md, "Audit log"). */
  private async recordWithin(tx: StoreRepositories, { image, faces }: PreparedImage): Promise<AuditEntry[]> {
    const { source, actor } = this;
    const entries = [await this.audit.append(tx, {
      ...actor, action: 'ingest.image', target: image.id,
      details: { source: source.name, sha256: image.sha256, faceIds: faces.map((f) => f.id) },
    })];
    for (const observer of this.observers) entries.push(...await observer.withinCommit(tx, { source, image, faces, actor }));
    return entries;
  }

  /** Adds the committed faces to the index in one call; a failure is every image's of the group. */
  private async index(group: readonly PreparedImage[], keys: number[][]): Promise<CommitOutcome | undefined> {
    try {
      await this.indexes.detached?.add(this.source.galleryId, keys.flat(), group.flatMap((p) => p.faces.map((f) => f.embedding)));
      return undefined;
    } catch (error) {
      return { kind: 'failed', error };
    }
  }
}
