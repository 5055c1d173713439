import type { IndexProfiles } from '../engines/vector-index/index-profile.ts';
import type { IndexProfile } from '../ports/vector-index.ts';
import { DEFAULT_CUTOVER } from '../engines/vector-index/adaptive-index.ts';
import type { VectorIndex } from '../ports/vector-index.ts';
import type { Store } from '../ports/store.ts';
import type { Clock } from '../ports/clock.ts';
import { DEFAULT_COMPACTION, type CompactionPolicy, type DetachedIndexes, type GalleryIndexes, type GalleryMatch } from '../ports/gallery-indexes.ts';
import type { IndexManifest, VectorIndexStore } from '../ports/vector-index-store.ts';

interface OpenIndex {
  index: VectorIndex;
  /** Opened memory-mapped: its file is written only by a compaction or a rebuild. */
  viewed: boolean;
  coveredKey: number;
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
}

/** A change made to a gallery while its index was being rebuilt, replayed onto the new index. */
type Change = { add: { keys: readonly number[]; vectors: readonly Float32Array[] } } | { remove: readonly number[] };

/**
 * Keeps one vector index per gallery in step with the store of record. The store is the truth:
 * an index is loaded from its file and caught up with faces committed after it was saved, or
 * rebuilt from the stored embeddings at any time.
 */
export class IndexService implements GalleryIndexes, DetachedIndexes {
  /** Index files apart from the store: told of committed faces, saved and closed by their owner. */
  readonly detached: DetachedIndexes = this;
  private readonly open = new Map<string, OpenIndex>();
  private readonly opening = new Map<string, Promise<OpenIndex>>();
  /** Per gallery under rebuild: the changes to replay onto the new index before it replaces the old. */
  private readonly rebuilding = new Map<string, Change[]>();
  private readonly rebuilds = new Map<string, Promise<number>>();

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
    const entry = await this.entry(galleryId);
    entry.index.add(keys, vectors);
    for (const key of keys) if (key > entry.coveredKey) entry.coveredKey = key;
    entry.dirty = true;
    entry.viewed = false;
    this.rebuilding.get(galleryId)?.push({ add: { keys, vectors } });
  }

  async remove(galleryId: string, keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    const entry = await this.entry(galleryId);
    entry.index.remove(keys);
    entry.pendingRemovals += keys.length;
    entry.firstPendingRemovalAt ??= this.clock.now().toISOString();
    entry.dirty = true;
    this.rebuilding.get(galleryId)?.push({ remove: keys });
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
      // the store, which searches re-score against, no longer holds those faces meanwhile.
      if (entry.viewed) this.indexes.saveManifest(id, this.manifest(entry));
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
    const fresh: OpenIndex = { index, viewed: false, coveredKey: -1, dirty: true, pendingRemovals: 0, firstPendingRemovalAt: null };
    try {
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
    const loaded = this.indexes.load(galleryId, mode, profile);
    const usable = loaded && loaded.manifest.modelId === this.model.modelId && loaded.manifest.dimension === this.model.dimension;
    if (loaded && !usable) loaded.index.close();
    const entry: OpenIndex = usable
      ? {
        index: loaded.index,
        viewed: mode === 'view',
        coveredKey: loaded.manifest.coveredKey,
        dirty: false,
        pendingRemovals: loaded.manifest.pendingRemovals ?? 0,
        firstPendingRemovalAt: loaded.manifest.firstPendingRemovalAt ?? null,
      }
      : { index: this.indexes.create(this.model.dimension, profile), viewed: false, coveredKey: -1, dirty: true, pendingRemovals: 0, firstPendingRemovalAt: null };
    // A process stopped mid-ingestion may have committed faces after the last save.
    await this.catchUp(galleryId, entry);
    this.open.set(galleryId, entry);
    return entry;
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
      size: entry.index.size,
      savedAt: this.clock.now().toISOString(),
      pendingRemovals: entry.pendingRemovals,
      firstPendingRemovalAt: entry.firstPendingRemovalAt,
    };
  }
}
