import type { VectorIndex, VectorMatch } from '../engines/vector-index/vector-index.ts';
import type { Store } from '../repositories/store.ts';
import type { Clock } from './ports/clock.ts';
import type { IndexManifest, VectorIndexStore } from './ports/vector-index-store.ts';

export interface GalleryMatch extends VectorMatch {
  galleryId: string;
}

interface OpenIndex {
  index: VectorIndex;
  coveredKey: number;
  dirty: boolean;
  pendingRemovals: number;
  firstPendingRemovalAt: string | null;
}

export interface CompactionPolicy {
  /** Compact once removed faces exceed this fraction of the index. */
  maxPendingFraction: number;
  /** Compact once the oldest pending removal is this old. */
  maxPendingAgeMs: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxPendingFraction: 0.1, maxPendingAgeMs: 24 * 3_600_000 };

/**
 * Keeps one vector index per gallery in step with the store of record. The store is the truth:
 * an index is loaded from its file and caught up with faces committed after it was saved, or
 * rebuilt from the stored embeddings at any time.
 */
export class IndexService {
  private readonly open = new Map<string, OpenIndex>();

  constructor(
    private readonly store: Store,
    private readonly indexes: VectorIndexStore,
    private readonly clock: Clock,
    private readonly model: { dimension: number; modelId: string },
  ) {}

  async get(galleryId: string): Promise<VectorIndex> {
    return (await this.entry(galleryId)).index;
  }

  async add(galleryId: string, keys: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (keys.length === 0) return;
    const entry = await this.entry(galleryId);
    entry.index.add(keys, vectors);
    for (const key of keys) if (key > entry.coveredKey) entry.coveredKey = key;
    entry.dirty = true;
  }

  async remove(galleryId: string, keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    const entry = await this.entry(galleryId);
    entry.index.remove(keys);
    entry.pendingRemovals += keys.length;
    entry.firstPendingRemovalAt ??= this.clock.now().toISOString();
    entry.dirty = true;
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
      this.indexes.save(id, entry.index, this.manifest(entry));
      entry.dirty = false;
    }
  }

  /** Drops the index of a gallery and builds it anew from the store; returns its size. */
  async rebuild(galleryId: string, onProgress?: (done: number, total: number) => void): Promise<number> {
    this.open.get(galleryId)?.index.close();
    this.open.delete(galleryId);
    this.indexes.drop(galleryId);
    const index = this.indexes.create(this.model.dimension);
    const entry: OpenIndex = { index, coveredKey: -1, dirty: true, pendingRemovals: 0, firstPendingRemovalAt: null };
    const total = await this.store.faces.countActive(galleryId);
    await this.catchUp(galleryId, entry, (done) => onProgress?.(done, total));
    entry.coveredKey = Math.max(entry.coveredKey, await this.store.faces.maxVectorKey(galleryId));
    this.open.set(galleryId, entry);
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
    const loaded = this.indexes.load(galleryId);
    const usable = loaded && loaded.manifest.modelId === this.model.modelId && loaded.manifest.dimension === this.model.dimension;
    if (loaded && !usable) loaded.index.close();
    const entry: OpenIndex = usable
      ? {
        index: loaded.index,
        coveredKey: loaded.manifest.coveredKey,
        dirty: false,
        pendingRemovals: loaded.manifest.pendingRemovals ?? 0,
        firstPendingRemovalAt: loaded.manifest.firstPendingRemovalAt ?? null,
      }
      : { index: this.indexes.create(this.model.dimension), coveredKey: -1, dirty: true, pendingRemovals: 0, firstPendingRemovalAt: null };
    // A process stopped mid-ingestion may have committed faces after the last save.
    await this.catchUp(galleryId, entry);
    this.open.set(galleryId, entry);
    return entry;
  }

  private async catchUp(galleryId: string, entry: OpenIndex, onBatch?: (done: number) => void): Promise<void> {
    let done = 0;
    for await (const batch of this.store.faces.streamEmbeddings(galleryId, { afterKey: entry.coveredKey })) {
      entry.index.add(batch.map((e) => e.vectorKey), batch.map((e) => e.embedding));
      entry.coveredKey = batch[batch.length - 1]!.vectorKey;
      entry.dirty = true;
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
