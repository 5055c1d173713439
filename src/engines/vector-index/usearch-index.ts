import { availableParallelism } from 'node:os';
import type { BatchMatches, Index, Matches } from 'usearch';
import { LikenessError } from '../../errors.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { runInSlices } from './slices.ts';
import { readUsearchHead } from './usearch-file.ts';
import { releaseNow } from './usearch-release.ts';
import { scalarKindOf, usearch } from './usearch-module.ts';
import { checkBatch, checkDimension, lastPerKey, packRows } from './vector-checks.ts';
import type { Quantisation, VectorIndex, VectorMatch } from '../../ports/vector-index.ts';

export interface UsearchIndexOptions {
  dimension: number;
  quantisation?: Quantisation;
  /** HNSW M: graph edges per node; more edges, better recall, slower build, more memory. */
  connectivity?: number;
  /** ef_construction: candidate list size while inserting. */
  expansionAdd?: number;
  /** ef_search: candidate list size while searching; the recall/speed dial. May be changed between searches. */
  expansionSearch?: number;
  /** Native threads for batch add and batch search. */
  threads?: number;
  /**
   * After a multi-threaded add, look each new vector up and insert again, alone, any that the
   * graph cannot reach. usearch 2.25's concurrent insertion strands a few nodes (upstream issue
   * unum-cloud/USearch#735): stored, yet never returned by any search.
   */
  repairAdds?: boolean;
}

export type UsearchOpenOptions = Omit<UsearchIndexOptions, 'dimension' | 'quantisation' | 'connectivity'> & {
  /** When given, a file of another dimension is refused. */
  dimension?: number;
};

/**
 * Chosen by measurement with bench/search.ts (figures in docs/scaling.md): at 1M faces i8 gives
 * recall@10 level with f16 (0.860-0.862 against 0.857 at ef_search 256, M 16) at 1.1-1.7x the q/s,
 * half the memory and about 1.5x the build rate per CPU-second. Its cosines are off by about 0.004 (usearch's cast truncates to
 * a few levels per component and its int8 kernel approximates the norms), which is harmless
 * because search re-scores every candidate against the stored f32 embedding. M=32 with
 * ef_construction=128 is what lets ef_search=256 reach recall@10 0.99 at 100k on clustered
 * face-like data; M=16 stays near 0.97 there.
 */
export const USEARCH_DEFAULTS = {
  quantisation: 'i8' as Quantisation,
  connectivity: 32,
  expansionAdd: 128,
  expansionSearch: 256,
} as const;

/**
 * The native index's own ef_search. usearch searches with max(its ef_search, results wanted), and
 * its Node binding cannot change ef_search after construction, so the native value is kept small
 * and a search asks for max(k, expansionSearch) results: the candidate list is what the
 * configured ef_search gives, and it can change per call. The small value serves the cheap first
 * look of the stranded-node check.
 */
const NATIVE_EXPANSION = 16;
/** A node its own search misses at NATIVE_EXPANSION is looked for again this wide before it counts as stranded. */
const STRANDED_CONFIRM_EXPANSION = 64;

/**
 * HNSW index on usearch. Removal hides a key at once but leaves its bytes in memory and in saved
 * files until the index is rebuilt from live vectors (see compaction.ts).
 */
export class UsearchIndex implements VectorIndex {
  readonly dimension: number;
  readonly quantisation: Quantisation;
  private readonly settings: UsearchIndexOptions;
  private nativeThreads: number;
  private searchExpansion: number = USEARCH_DEFAULTS.expansionSearch;
  private native: Index | undefined;
  /** Set for memory-mapped views, which usearch cannot mutate: removals are filtered here. */
  private hidden: Set<number> | undefined;
  private removedSinceBuild: number;
  private mutations = 0;
  private readonly repairAdds: boolean;
  private repairedCount = 0;

  constructor(options: UsearchIndexOptions) {
    this.dimension = options.dimension;
    this.quantisation = options.quantisation ?? USEARCH_DEFAULTS.quantisation;
    this.settings = { ...options, quantisation: this.quantisation };
    this.nativeThreads = 1;
    this.threads = options.threads ?? availableParallelism();
    this.expansionSearch = options.expansionSearch ?? USEARCH_DEFAULTS.expansionSearch;
    const { Index, MetricKind } = usearch();
    this.native = new Index({
      dimensions: options.dimension,
      metric: MetricKind.Cos,
      quantization: scalarKindOf(this.quantisation),
      connectivity: options.connectivity ?? USEARCH_DEFAULTS.connectivity,
      expansion_add: options.expansionAdd ?? USEARCH_DEFAULTS.expansionAdd,
      expansion_search: NATIVE_EXPANSION,
      multi: false,
    });
    this.hidden = undefined;
    this.removedSinceBuild = 0;
    this.repairAdds = options.repairAdds ?? true;
  }

  /** Reads a saved index fully into memory; it can then be changed and saved again. */
  static load(path: string, options: UsearchOpenOptions = {}): UsearchIndex {
    return UsearchIndex.open(path, options, 'load');
  }

  /**
   * Memory-maps a saved index read-only: a node serves in seconds whatever the size, and the
   * pages are shared with every other process viewing the same file. Removals are still
   * honoured (filtered out of results); additions need a loaded index.
   */
  static view(path: string, options: UsearchOpenOptions = {}): UsearchIndex {
    return UsearchIndex.open(path, options, 'view');
  }

  private static open(path: string, options: UsearchOpenOptions, mode: 'load' | 'view'): UsearchIndex {
    const head = readUsearchHead(path);
    if (options.dimension !== undefined && options.dimension !== head.dimension) {
      throw new LikenessError('LIKENESS_INDEX_DIMENSION', `${path} holds ${head.dimension}-d vectors, expected ${options.dimension}-d`);
    }
    const index = new UsearchIndex({ ...options, dimension: head.dimension, quantisation: head.quantisation });
    try {
      if (mode === 'load') index.live.load(path);
      else index.live.view(path);
    } catch (cause) {
      throw new LikenessError('LIKENESS_INTERNAL', `Cannot ${mode} the index at ${path}`, { cause });
    }
    index.removedSinceBuild = head.deleted;
    if (mode === 'view') index.hidden = new Set();
    return index;
  }

  /** Nodes found stranded after multi-threaded adds and inserted again. */
  get repaired(): number {
    return this.repairedCount;
  }

  /** A new, empty index with the same settings: the target of a compaction. */
  emptyLike(): UsearchIndex {
    return new UsearchIndex({ ...this.settings, connectivity: this.live.connectivity(), threads: this.threads });
  }

  /** Native threads for batch calls; may be changed between calls, up to the cores available. */
  get threads(): number {
    return this.nativeThreads;
  }

  set threads(n: number) {
    this.nativeThreads = Math.max(1, Math.min(Math.floor(n), availableParallelism()));
  }

  /** ef_search of later searches. */
  get expansionSearch(): number {
    return this.searchExpansion;
  }

  set expansionSearch(ef: number) {
    if (!Number.isInteger(ef) || ef < 1) throw new LikenessError('LIKENESS_BAD_INPUT', `ef_search must be a positive whole number, got ${ef}`);
    this.searchExpansion = ef;
  }

  /** Keys a view hides because they were removed after it was opened. */
  removedFromView(): number[] {
    return [...(this.hidden ?? [])];
  }

  get readOnly(): boolean {
    return this.hidden !== undefined;
  }

  get size(): number {
    return this.live.size() - (this.hidden?.size ?? 0);
  }

  /** Removed entries whose bytes are still held; a reason to compact. */
  get garbage(): number {
    return this.removedSinceBuild + (this.hidden?.size ?? 0);
  }

  add(keys: readonly number[], vectors: readonly Float32Array[]): void {
    checkBatch(keys, vectors, this.dimension);
    this.refuseIfReadOnly();
    if (keys.length === 0) return;
    this.mutations++;
    const batch = lastPerKey(keys, vectors);
    const ids = BigUint64Array.from(batch.keys, BigInt);
    // usearch refuses duplicate keys; re-adding a key means replacing its vector.
    const present = this.live.contains(ids) as boolean[];
    this.remove(batch.keys.filter((_, i) => present[i]));
    const matrix = packRows(batch.vectors, this.dimension);
    this.nativeAdd(ids, matrix);
    if (this.threads > 1 && this.repairAdds && ids.length > 1) this.reinsertStranded(ids, matrix);
  }

  remove(keys: readonly number[]): void {
    if (keys.length === 0) return;
    this.mutations++;
    if (this.hidden) {
      for (const key of keys) if (this.nativeHas(key)) this.hidden.add(key);
      return;
    }
    const removed = this.live.remove(BigUint64Array.from(keys, BigInt)) as number[];
    for (const n of removed) this.removedSinceBuild += n;
  }

  has(key: number): boolean {
    return Number.isSafeInteger(key) && key >= 0 && this.nativeHas(key) && !this.hidden?.has(key);
  }

  search(query: Float32Array, k: number): VectorMatch[] {
    checkDimension(query, this.dimension);
    return this.searchMany(packRows([query], this.dimension), 1, k, 1)[0] ?? [];
  }

  async searchBatch(queries: readonly Float32Array[], k: number): Promise<VectorMatch[][]> {
    for (const q of queries) checkDimension(q, this.dimension);
    const before = this.mutations;
    const results = await runInSlices(queries.length, (start, end) =>
      this.searchMany(packRows(queries.slice(start, end), this.dimension), end - start, k, this.threads),
    );
    if (this.mutations === before) return results;
    // Keys removed while later slices ran must not surface from earlier ones.
    return results.map((matches) => matches.filter((m) => this.has(m.key)));
  }

  save(path: string): void {
    if (this.hidden && this.hidden.size > 0) {
      throw new LikenessError('LIKENESS_INTERNAL', 'A view with removals must be compacted, not saved: its file still holds them');
    }
    writeFileAtomically(path, (temp) => this.live.save(temp));
  }

  /** Drops the native index and frees its memory, or its mapping of a viewed file, at once. */
  close(): void {
    if (this.native) releaseNow(this.native, this.dimension, this.quantisation);
    this.native = undefined;
  }

  private get live(): Index {
    if (!this.native) throw new LikenessError('LIKENESS_INTERNAL', 'The vector index is closed');
    return this.native;
  }

  private nativeHas(key: number): boolean {
    return (this.live.contains([BigInt(key)]) as boolean[])[0] === true;
  }

  private refuseIfReadOnly(): void {
    if (this.hidden) throw new LikenessError('LIKENESS_INTERNAL', 'A memory-mapped index view is read-only; load it to add vectors');
  }

  /**
   * usearch sizes its per-thread scratch whenever an add grows the capacity, to the thread count
   * of that add; a later call with more threads then fails. Growth is therefore always triggered
   * by a one-vector add given every core (one task runs inline), and the rest of a batch is added
   * within the capacity, on the configured threads.
   */
  private nativeAdd(ids: BigUint64Array, matrix: Float32Array): void {
    const d = this.dimension;
    for (let i = 0; i < ids.length; ) {
      const room = this.live.capacity() - this.live.size() - 1;
      const n = room <= 0 ? 1 : Math.min(room, ids.length - i);
      this.live.add(ids.subarray(i, i + n), matrix.subarray(i * d, (i + n) * d), room <= 0 ? availableParallelism() : this.threads);
      i += n;
    }
  }

  /**
   * A stranded node is one no search reaches: its own vector, searched for, does not return it.
   * Every new node is looked for narrowly first, which nearly all pass; only the few missed there
   * are looked for again wider, and those still missed are inserted again, alone. The check then
   * costs a fraction of the insertion instead of a second one.
   */
  private reinsertStranded(ids: BigUint64Array, matrix: Float32Array): void {
    const d = this.dimension;
    const missed = this.missingFromOwnSearch(ids, matrix, 10);
    if (missed.length === 0) return;
    const again = packRows(missed.map((q) => matrix.subarray(q * d, (q + 1) * d)), d);
    const stranded = this.missingFromOwnSearch(BigUint64Array.from(missed, (q) => ids[q]!), again, STRANDED_CONFIRM_EXPANSION);
    for (const m of stranded) {
      const q = missed[m]!;
      const id = ids.subarray(q, q + 1);
      this.live.remove(id);
      this.live.add(id, matrix.subarray(q * d, (q + 1) * d), availableParallelism());
      this.repairedCount++;
    }
  }

  /** Rows of `matrix` whose own key is not among the first `wanted` results of a search for them. */
  private missingFromOwnSearch(ids: BigUint64Array, matrix: Float32Array, wanted: number): number[] {
    const raw = this.live.search(matrix, Math.min(wanted, this.live.size()), this.threads) as Matches | BatchMatches;
    const missing: number[] = [];
    for (let q = 0; q < ids.length; q++) {
      const found = raw instanceof usearch().BatchMatches ? raw.get(q) : raw;
      if (!found.keys.includes(ids[q]!)) missing.push(q);
    }
    return missing;
  }

  private searchMany(matrix: Float32Array, count: number, k: number, threads: number): VectorMatch[][] {
    if (k <= 0 || this.size === 0) return Array.from({ length: count }, () => []);
    const skip = this.hidden?.size ?? 0;
    const wanted = Math.min(Math.max(k + skip, this.searchExpansion), this.live.size());
    const raw = this.live.search(matrix, wanted, threads) as Matches | BatchMatches;
    const out: VectorMatch[][] = [];
    for (let q = 0; q < count; q++) {
      const m = raw instanceof usearch().BatchMatches ? raw.get(q) : raw;
      const matches: VectorMatch[] = [];
      for (let i = 0; i < m.keys.length && matches.length < k; i++) {
        const key = Number(m.keys[i]);
        if (!this.hidden?.has(key)) matches.push({ key, score: 1 - m.distances[i]! });
      }
      out.push(matches);
    }
    return out;
  }
}
