import type { ChangeLogPosition, FaceChange } from '../../ports/face-change-log.ts';

/** An open index as the change log sees it: the last change applied to it, and the faces it holds. */
export interface FollowedIndex {
  /** Every change up to this one is applied; undefined for an index that follows no log. */
  coveredSeq: number | undefined;
  index: { has(key: number): boolean };
}

/** What a run of the log does to one gallery's index: faces to add with their embeddings, keys to remove. */
export interface GalleryChanges {
  adds: Map<number, Float32Array>;
  removes: number[];
}

/** Whether the log still holds every change after `seq`, and the store has not gone back before it. */
export function replayable(seq: number, position: ChangeLogPosition): boolean {
  return seq <= position.newest && position.oldestKept <= seq + 1;
}

/** Keys of faces the run adds that their index does not hold yet (this process added the others): their embeddings must be read. */
export function embeddingsWanted(run: readonly FaceChange[], indexes: ReadonlyMap<string, FollowedIndex>): number[] {
  return run.filter((c) => c.kind === 'add' && !indexes.get(c.galleryId)?.index.has(c.vectorKey)).map((c) => c.vectorKey);
}

/**
 * Per gallery whose index stands at `from` or later, the part of a run that starts right after
 * `from` that it has not seen: additions it lacks (a face deleted since has no embedding left, and
 * its removal follows in the log) and removals of faces it holds. An index opened meanwhile at an
 * earlier position is left for the next pass, which starts there.
 */
export function changesToApply(
  run: readonly FaceChange[], from: number, indexes: ReadonlyMap<string, FollowedIndex>, embeddings: ReadonlyMap<number, Float32Array>,
): Map<string, GalleryChanges> {
  const byGallery = new Map<string, FaceChange[]>();
  for (const change of run) {
    const list = byGallery.get(change.galleryId);
    if (list) list.push(change);
    else byGallery.set(change.galleryId, [change]);
  }
  const plan = new Map<string, GalleryChanges>();
  for (const [galleryId, changes] of byGallery) {
    const entry = indexes.get(galleryId);
    if (!entry || entry.coveredSeq === undefined || entry.coveredSeq < from) continue;
    const covered = entry.coveredSeq;
    const pending = changes.filter((c) => c.seq > covered);
    const adds = new Map<number, Float32Array>();
    for (const c of pending) {
      const embedding = c.kind === 'add' && !entry.index.has(c.vectorKey) ? embeddings.get(c.vectorKey) : undefined;
      if (embedding) adds.set(c.vectorKey, embedding);
    }
    const removes = [...new Set(pending.filter((c) => c.kind === 'remove' && entry.index.has(c.vectorKey)).map((c) => c.vectorKey))];
    if (adds.size > 0 || removes.length > 0) plan.set(galleryId, { adds, removes });
  }
  return plan;
}

/** Every index that stood at the run's start or later now stands at its end, touched by it or not. */
export function advanceTo(last: number, from: number, indexes: Iterable<FollowedIndex>): void {
  for (const entry of indexes) {
    if (entry.coveredSeq !== undefined && entry.coveredSeq >= from && entry.coveredSeq < last) entry.coveredSeq = last;
  }
}
