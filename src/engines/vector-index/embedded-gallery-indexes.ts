import type { IndexProfiles } from './index-profile.ts';
import type { IndexProfile } from '../../ports/vector-index.ts';
import { DEFAULT_CUTOVER } from './adaptive-index.ts';
import type { VectorIndex } from '../../ports/vector-index.ts';
import type { Store } from '../../ports/store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FaceChange, FaceChangeLog } from '../../ports/face-change-log.ts';
import { advanceTo, changesToApply, embeddingsWanted, replayable } from './change-log-runs.ts';
import type { FollowReport, StoreFollower } from '../../ports/store-follower.ts';
import { DEFAULT_COMPACTION, type CompactionPolicy, type DetachedIndexes, type GalleryIndexes, type GalleryMatch } from '../../ports/gallery-indexes.ts';
import type { IndexManifest, VectorIndexStore } from '../../ports/vector-index-store.ts';

interface OpenIndex {
  index: VectorIndex;
  /** Opened memory-mapped: its file is written only by a compaction or a rebuild. */
  viewed: boolean;
  coveredKey: number;
  /** Every change of the store's change log up to this one is applied; undefined without a log. */
  coveredSeq: number | undefined;
  /** The log position of the file a view maps, which the view's removals do not change. */
  fileSeq: number | undefined;
  /** Fell out of the change log's window: rebuilt from the store at the next follow(). */
  stale: boolean;
  dirty: boolean;
  pendingRemovals: number;
  firstPendingRemovalAt: string | null;
}

export interface IndexServiceOptions {
  /**
   * 'view' memory-maps saved indexes, so a process that mostly searches starts in seconds at any
   * size; the first addition to a gallery then reads its index into memory. 'load' reads them whole.
   */
  open?: 'load' | 'view';
  /** Quantisation, graph and search settings per gallery name; the index kind's defaults without. */
  profiles?: IndexProfiles;
  /**
   * The store's log of faces added and deleted by every process. With it, follow() applies what
   * other processes did, and a reopened index catches up on removals as well as additions.
   */
  changes?: FaceChangeLog;
  /** Changes applied per follow() (FOLLOW_BATCH without). */
  followBatch?: number;
}

/** Changes read and applied per follow(): bounds the work of one tick, whatever the backlog. */
export const FOLLOW_BATCH = 4096;

/** A change made to a gallery while its index was being rebuilt, replayed onto the new index. */
type Change = { add: { keys: readonly number[]; vectors: readonly Float32Array[] } } | { remove: readonly number[] };

/**
 * Keeps one vector index per gallery in step with the store of record. The store is the truth:
 * an index is loaded from its file and caught up with faces committed after it was saved, or
 * rebuilt from the stored embeddings at any time.
 */
export class IndexService implements GalleryIndexes, DetachedIndexes, StoreFollower {
  /** Index files apart from the store: told of committed faces, saved and closed by their owner. */
  readonly detached: DetachedIndexes = this;
  private readonly open = new Map<string, OpenIndex>();
  private readonly opening = new Map<string, Promise<OpenIndex>>();
  /** Per gallery under rebuild: the changes to replay onto the new index before it replaces the old. */
  private readonly rebuilding = new Map<string, Change[]>();
  private readonly rebuilds = new Map<string, Promise<number>>();
  private following: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly indexes: VectorIndexStore,
    private readonly clock: Clock,
    private readonly model: { dimension: number; modelId: string },
    private readonly options: IndexServiceOptions = {},
  ) {}

  async get(galleryId: string): Promise<VectorIndex> {
    return (await this.entry(galleryId)).index;
  }

  async size(galleryId: string): Promise<number> {
    return (await this.entry(galleryId)).index.size;
  }

  /** A gallery still on exact search is rewritten in about the time of a save. */
  async compactsCheaply(galleryId: string): Promise<boolean> {
    const cutover = (await this.profileOf(galleryId))?.cutover ?? DEFAULT_CUTOVER;
    return (await this.size(galleryId)) < cutover;
  }

  async add(galleryId: string, keys: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (keys.length === 0) return;
    this.addTo(galleryId, await this.entry(galleryId), keys, vectors);
  }

  async remove(galleryId: string, keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    this.removeFrom(galleryId, await this.entry(galleryId), keys);
  }

  /**
   * Applies to the open galleries what any process committed to the store since the last pass, a
   * bounded batch of changes at a time: faces another process ingested become searchable, faces it
   * deleted stop being candidates. This process's own changes come back through the log too and
   * are skipped, as the index already holds (or no longer holds) them. A gallery whose index fell
   * out of the log's window, or whose store went back in time (a restore), is rebuilt from the
   * store (docs/architecture.md, "Indexes follow the store").
   */
  async follow(): Promise<FollowReport> {
    const pass = this.following.then(() => this.followNow());
    this.following = pass.catch(() => undefined);
    return pass;
  }

  /** Galleries whose removed vectors are due to leave the disk under the policy. */
  async dueForCompaction(galleryIds: readonly string[], policy: CompactionPolicy = DEFAULT_COMPACTION): Promise<string[]> {
    const due: string[] = [];
    for (const id of galleryIds) {
      const entry = await this.entry(id);
      if (entry.pendingRemovals === 0) continue;
      const age = this.clock.now().getTime() - Date.parse(entry.firstPendingRemovalAt ?? this.clock.now().toISOString());
      const fraction = entry.pendingRemovals / Math.max(1, entry.index.size + entry.pendingRemovals);
      if (fraction > policy.maxPendingFraction || age >= policy.maxPendingAgeMs) due.push(id);
    }
    return due;
  }

  /**
   * Rewrites a gallery's index from the live faces only and checkpoints the store, so the bytes
   * of removed embeddings are gone from every file in the data directory.
   */
  async compact(galleryId: string): Promise<number> {
    const size = await this.rebuild(galleryId);
    await this.store.checkpoint();
    return size;
  }

  /** Searches several galleries and merges their best matches. */
  async search(galleryIds: readonly string[], query: Float32Array, k: number): Promise<GalleryMatch[]> {
    const all: GalleryMatch[] = [];
    for (const galleryId of galleryIds) {
      const index = await this.get(galleryId);
      if (index.size === 0) continue;
      for (const m of index.search(query, k)) all.push({ ...m, galleryId });
    }
    return all.sort((a, b) => b.score - a.score).slice(0, k);
  }

  async save(galleryId?: string): Promise<void> {
    for (const [id, entry] of this.open) {
      if ((galleryId && id !== galleryId) || !entry.dirty) continue;
      // A view's file cannot take its removals; they stay in the manifest until compaction, and
      // the store, which searches re-score against, no longer holds those faces meanwhile. The
      // manifest keeps the file's log position, so a reopened view hides them again from the log.
      if (entry.viewed) this.indexes.saveManifest(id, { ...this.manifest(entry), coveredSeq: entry.fileSeq });
      else this.indexes.save(id, entry.index, this.manifest(entry));
      entry.dirty = false;
    }
  }

  /**
   * Builds a gallery's index anew from the store and returns its size. The old index keeps
   * answering meanwhile; changes made during the build are replayed onto the new one, which then
   * replaces it between two event-loop turns, so no search ever sees a half-built index.
   */
  async rebuild(galleryId: string, onProgress?: (done: number, total: number) => void): Promise<number> {
    const previous = this.rebuilds.get(galleryId);
    const run = (async () => {
      await previous?.catch(() => undefined);
      return this.rebuildNow(galleryId, onProgress);
    })();
    this.rebuilds.set(galleryId, run);
    try {
      return await run;
    } finally {
      if (this.rebuilds.get(galleryId) === run) this.rebuilds.delete(galleryId);
    }
  }

  private async rebuildNow(galleryId: string, onProgress?: (done: number, total: number) => void): Promise<number> {
    const profile = await this.profileOf(galleryId);
    const changes: Change[] = [];
    this.rebuilding.set(galleryId, changes);
    const index = this.indexes.create(this.model.dimension, profile);
    const fresh = this.emptyEntry(index);
    try {
      // Read before the store is: whatever commits after is followed from here, skipped if already built in.
      fresh.coveredSeq = (await this.options.changes?.position())?.newest;
      const total = await this.store.faces.countActive(galleryId);
      await this.catchUp(galleryId, fresh, (done) => onProgress?.(done, total));
      fresh.coveredKey = Math.max(fresh.coveredKey, await this.store.faces.maxVectorKey(galleryId));
    } catch (error) {
      index.close();
      throw error;
    } finally {
      this.rebuilding.delete(galleryId);
    }
    // From here to the swap nothing awaits: no change can slip between the replay and the swap.
    for (const change of changes) {
      if ('add' in change) {
        index.add(change.add.keys, change.add.vectors);
        for (const key of change.add.keys) if (key > fresh.coveredKey) fresh.coveredKey = key;
      } else {
        index.remove(change.remove);
      }
    }
    const old = this.open.get(galleryId);
    this.open.set(galleryId, fresh);
    old?.index.close();
    await this.save(galleryId);
    return index.size;
  }

  close(): void {
    for (const entry of this.open.values()) entry.index.close();
    this.open.clear();
  }

  private async entry(galleryId: string): Promise<OpenIndex> {
    const cached = this.open.get(galleryId);
    if (cached) return cached;
    // Callers that arrive while a gallery is being opened share the one opening.
    let opening = this.opening.get(galleryId);
    if (!opening) {
      opening = this.openEntry(galleryId).finally(() => this.opening.delete(galleryId));
      this.opening.set(galleryId, opening);
    }
    return opening;
  }

  private async openEntry(galleryId: string): Promise<OpenIndex> {
    const mode = this.options.open ?? 'load';
    const profile = await this.profileOf(galleryId);
    // Read before the store is, as in a rebuild.
    const position = await this.options.changes?.position();
    const loaded = this.indexes.load(galleryId, mode, profile);
    const usable = loaded && loaded.manifest.modelId === this.model.modelId && loaded.manifest.dimension === this.model.dimension;
    if (loaded && !usable) loaded.index.close();
    const entry: OpenIndex = usable
      ? {
        index: loaded.index,
        viewed: mode === 'view',
        coveredKey: loaded.manifest.coveredKey,
        coveredSeq: loaded.manifest.coveredSeq,
        fileSeq: loaded.manifest.coveredSeq,
        stale: false,
        dirty: false,
        pendingRemovals: loaded.manifest.pendingRemovals ?? 0,
        firstPendingRemovalAt: loaded.manifest.firstPendingRemovalAt ?? null,
      }
      : this.emptyEntry(this.indexes.create(this.model.dimension, profile));
    if (position && entry.coveredSeq !== undefined && replayable(entry.coveredSeq, position)) {
      // What every process added and deleted since the save, in commit order.
      await this.replay(galleryId, entry);
    } else {
      // No usable log position: faces committed after the last save are added from the store;
      // deletions since stay hidden by the store, which searches re-score against, until the
      // rebuild that a log position out of the window calls for.
      entry.stale = position !== undefined && entry.coveredSeq !== undefined;
      entry.coveredSeq = position?.newest;
      await this.catchUp(galleryId, entry);
    }
    this.open.set(galleryId, entry);
    return entry;
  }

  private emptyEntry(index: VectorIndex): OpenIndex {
    return { index, viewed: false, coveredKey: -1, coveredSeq: undefined, fileSeq: undefined, stale: false, dirty: true, pendingRemovals: 0, firstPendingRemovalAt: null };
  }

  private addTo(galleryId: string, entry: OpenIndex, keys: readonly number[], vectors: readonly Float32Array[]): void {
    entry.index.add(keys, vectors);
    for (const key of keys) if (key > entry.coveredKey) entry.coveredKey = key;
    entry.dirty = true;
    entry.viewed = false;
    this.rebuilding.get(galleryId)?.push({ add: { keys, vectors } });
  }

  private removeFrom(galleryId: string, entry: OpenIndex, keys: readonly number[]): void {
    entry.index.remove(keys);
    entry.pendingRemovals += keys.length;
    entry.firstPendingRemovalAt ??= this.clock.now().toISOString();
    entry.dirty = true;
    this.rebuilding.get(galleryId)?.push({ remove: keys });
  }

  private get followBatch(): number {
    return this.options.followBatch ?? FOLLOW_BATCH;
  }

  private async followNow(): Promise<FollowReport> {
    const log = this.options.changes;
    if (!log) return { applied: 0, rebuilt: [], caughtUp: true };
    const position = await log.position();
    const rebuilt: string[] = [];
    for (const [galleryId, entry] of [...this.open]) {
      if (entry.stale || entry.coveredSeq === undefined || !replayable(entry.coveredSeq, position)) {
        await this.rebuild(galleryId);
        rebuilt.push(galleryId);
      }
    }
    const from = Math.min(...[...this.open.values()].map((e) => e.coveredSeq ?? position.newest));
    if (!(from < position.newest)) return { applied: 0, rebuilt, caughtUp: true };
    const batch = await log.after(from, this.followBatch);
    const applied = await this.applyChanges(batch, from, () => this.open);
    return { applied, rebuilt, caughtUp: batch.length < this.followBatch };
  }

  /** Reads the log from the index's position to its end, into an index being opened. */
  private async replay(galleryId: string, entry: OpenIndex): Promise<void> {
    for (;;) {
      const from = entry.coveredSeq!;
      const batch = await this.options.changes!.after(from, this.followBatch);
      if (batch.length === 0) return;
      await this.applyChanges(batch, from, () => new Map([[galleryId, entry]]));
    }
  }

  /**
   * Applies a run of changes that starts right after `from` to the indexes that stand at `from` or
   * later, and moves them to its end. Embeddings are read first; the indexes (asked for again, as a
   * rebuild may have swapped one meanwhile) are then changed with no await in between, so no
   * search, addition or rebuild sees half a run.
   */
  private async applyChanges(run: readonly FaceChange[], from: number, indexes: () => ReadonlyMap<string, OpenIndex>): Promise<number> {
    const last = run[run.length - 1]?.seq;
    if (last === undefined) return 0;
    const read = await this.store.faces.embeddingsByVectorKeys(embeddingsWanted(run, indexes()));
    const current = indexes();
    let applied = 0;
    for (const [galleryId, { adds, removes }] of changesToApply(run, from, current, new Map(read.map((e) => [e.vectorKey, e.embedding])))) {
      const entry = current.get(galleryId)!;
      if (adds.size > 0) this.addTo(galleryId, entry, [...adds.keys()], [...adds.values()]);
      if (removes.length > 0) this.removeFrom(galleryId, entry, removes);
      applied += adds.size + removes.length;
    }
    advanceTo(last, from, current.values());
    return applied;
  }

  private async profileOf(galleryId: string): Promise<IndexProfile | undefined> {
    if (!this.options.profiles) return undefined;
    return this.options.profiles.forGallery((await this.store.galleries.findById(galleryId))?.name);
  }

  private async catchUp(galleryId: string, entry: OpenIndex, onBatch?: (done: number) => void): Promise<void> {
    let done = 0;
    for await (const batch of this.store.faces.streamEmbeddings(galleryId, { afterKey: entry.coveredKey })) {
      entry.index.add(batch.map((e) => e.vectorKey), batch.map((e) => e.embedding));
      entry.coveredKey = batch[batch.length - 1]!.vectorKey;
      entry.dirty = true;
      entry.viewed = false;
      done += batch.length;
      onBatch?.(done);
    }
  }

  private manifest(entry: OpenIndex): IndexManifest {
    return {
      dimension: this.model.dimension,
      modelId: this.model.modelId,
      coveredKey: entry.coveredKey,
      coveredSeq: entry.coveredSeq,
      size: entry.index.size,
      savedAt: this.clock.now().toISOString(),
      pendingRemovals: entry.pendingRemovals,
      firstPendingRemovalAt: entry.firstPendingRemovalAt,
    };
  }
}
