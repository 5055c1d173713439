import { availableParallelism } from 'node:os';
import type { BatchMatches, Matches } from 'usearch';
import { LikenessError } from '../../errors.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { readExactIndexFile, writeExactIndexFile } from './exact-index-file.ts';
import { runInSlices } from './slices.ts';
import { checkBatch, checkDimension, lastPerKey, packRows } from './vector-checks.ts';
import type { VectorIndex, VectorMatch } from '../../ports/vector-index.ts';
import { usearch } from './usearch-module.ts';

export interface ExactIndexOptions {
  dimension: number;
  /** Native threads for the distance kernel. */
  threads?: number;
}

// The native kernel keeps a 32-byte scratch entry per (row, query) pair; this caps it at 128 MiB.
const SCRATCH_PAIRS = 4 * 1024 * 1024;
// The kernel starts its threads on every call; on a small gallery the scan is over before a
// second thread would have started.
const PARALLEL_ROWS = 4_096;

/**
 * Brute-force search over one contiguous Float32Array, using usearch's SIMD cosine kernel.
 * Removal moves the last row into the hole and zeroes the vacated row, so memory stays
 * compact and a removed embedding's bytes are gone from memory at once, and from the next save.
 */
export class ExactIndex implements VectorIndex {
  readonly dimension: number;
  /** Native threads for batch calls; may be changed between calls. */
  threads: number;
  private vectors: Float32Array;
  private keys: Float64Array;
  private readonly rows = new Map<number, number>();
  private count = 0;
  private closed = false;
  private mutations = 0;

  constructor(options: ExactIndexOptions) {
    this.dimension = options.dimension;
    this.threads = options.threads ?? availableParallelism();
    this.vectors = new Float32Array(16 * this.dimension);
    this.keys = new Float64Array(16);
  }

  /** A new, empty index with the same settings. */
  emptyLike(): ExactIndex {
    return new ExactIndex({ dimension: this.dimension, threads: this.threads });
  }

  static load(path: string, options: { dimension?: number; threads?: number } = {}): ExactIndex {
    const file = readExactIndexFile(path);
    if (options.dimension !== undefined && options.dimension !== file.dimension) {
      throw new LikenessError('LIKENESS_INDEX_DIMENSION', `${path} holds ${file.dimension}-d vectors, expected ${options.dimension}-d`);
    }
    const index = new ExactIndex({ dimension: file.dimension, threads: options.threads });
    index.vectors = file.vectors;
    index.keys = file.keys;
    index.count = file.count;
    for (let row = 0; row < file.count; row++) index.rows.set(file.keys[row]!, row);
    if (index.rows.size !== file.count) throw new LikenessError('LIKENESS_INTERNAL', `${path} repeats a key`);
    return index;
  }

  get size(): number {
    return this.count;
  }

  add(keys: readonly number[], vectors: readonly Float32Array[]): void {
    this.open();
    checkBatch(keys, vectors, this.dimension);
    this.mutations++;
    const batch = lastPerKey(keys, vectors);
    this.reserve(this.count + batch.keys.length);
    batch.keys.forEach((key, i) => {
      let row = this.rows.get(key);
      if (row === undefined) {
        row = this.count++;
        this.rows.set(key, row);
        this.keys[row] = key;
      }
      this.vectors.set(batch.vectors[i]!, row * this.dimension);
    });
  }

  remove(keys: readonly number[]): void {
    this.open();
    this.mutations++;
    const d = this.dimension;
    for (const key of keys) {
      const row = this.rows.get(key);
      if (row === undefined) continue;
      const last = this.count - 1;
      if (row !== last) {
        this.vectors.copyWithin(row * d, last * d, last * d + d);
        const moved = this.keys[last]!;
        this.keys[row] = moved;
        this.rows.set(moved, row);
      }
      this.vectors.fill(0, last * d, last * d + d);
      this.keys[last] = 0;
      this.rows.delete(key);
      this.count = last;
    }
    if (this.count < this.keys.length / 4 && this.keys.length > 64) this.resize(this.keys.length / 2);
  }

  has(key: number): boolean {
    return this.rows.has(key);
  }

  /** A copy of the stored vector, e.g. to move it into another index. */
  vectorOf(key: number): Float32Array | undefined {
    const row = this.rows.get(key);
    return row === undefined ? undefined : this.vectors.slice(row * this.dimension, (row + 1) * this.dimension);
  }

  /** A snapshot of the keys held, in storage order. */
  keyList(): number[] {
    return Array.from(this.keys.subarray(0, this.count));
  }

  /** Every entry, in batches of views into the live arrays: copy before mutating the index. */
  *entries(batchSize = 4096): Generator<{ keys: number[]; vectors: Float32Array[] }> {
    const d = this.dimension;
    for (let start = 0; start < this.count; start += batchSize) {
      const end = Math.min(this.count, start + batchSize);
      const keys: number[] = [];
      const vectors: Float32Array[] = [];
      for (let row = start; row < end; row++) {
        keys.push(this.keys[row]!);
        vectors.push(this.vectors.subarray(row * d, (row + 1) * d));
      }
      yield { keys, vectors };
    }
  }

  search(query: Float32Array, k: number): VectorMatch[] {
    checkDimension(query, this.dimension);
    return this.searchMany([query], k)[0] ?? [];
  }

  async searchBatch(queries: readonly Float32Array[], k: number): Promise<VectorMatch[][]> {
    for (const q of queries) checkDimension(q, this.dimension);
    const before = this.mutations;
    const maxPerSlice = Math.max(1, Math.floor(SCRATCH_PAIRS / Math.max(1, this.count)));
    const results = await runInSlices(queries.length, (start, end) => this.searchMany(queries.slice(start, end), k), { maxPerSlice });
    if (this.mutations === before) return results;
    // Keys removed while later slices ran must not surface from earlier ones.
    return results.map((matches) => matches.filter((m) => this.has(m.key)));
  }

  save(path: string): void {
    this.open();
    writeFileAtomically(path, (temp) =>
      writeExactIndexFile(temp, { dimension: this.dimension, count: this.count, keys: this.keys, vectors: this.vectors }),
    );
  }

  close(): void {
    this.closed = true;
    this.vectors = new Float32Array(0);
    this.keys = new Float64Array(0);
    this.rows.clear();
    this.count = 0;
  }

  private searchMany(queries: readonly Float32Array[], k: number): VectorMatch[][] {
    this.open();
    const wanted = Math.min(k, this.count);
    if (wanted <= 0) return queries.map(() => []);
    // The kernel reads from the start of each array's buffer, so both must begin at byte 0.
    const dataset = this.vectors.subarray(0, this.count * this.dimension);
    const threads = this.count >= PARALLEL_ROWS ? this.threads : 1;
    const { exactSearch, MetricKind } = usearch();
    const raw = exactSearch(dataset, packRows(queries, this.dimension), this.dimension, wanted, MetricKind.Cos, threads);
    return queries.map((_, q) => {
      const m: Matches = queries.length === 1 ? (raw as Matches) : (raw as BatchMatches).get(q);
      const out: VectorMatch[] = [];
      for (let i = 0; i < m.keys.length; i++) out.push({ key: this.keys[Number(m.keys[i])]!, score: 1 - m.distances[i]! });
      return out;
    });
  }

  private reserve(rows: number): void {
    if (rows > this.keys.length) this.resize(Math.max(rows, this.keys.length * 2));
  }

  private resize(capacity: number): void {
    const vectors = new Float32Array(capacity * this.dimension);
    vectors.set(this.vectors.subarray(0, this.count * this.dimension));
    const keys = new Float64Array(capacity);
    keys.set(this.keys.subarray(0, this.count));
    this.vectors = vectors;
    this.keys = keys;
  }

  private open(): void {
    if (this.closed) throw new LikenessError('LIKENESS_INTERNAL', 'The vector index is closed');
  }
}
