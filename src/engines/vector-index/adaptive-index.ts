import { readSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ExactIndex } from './exact-index.ts';
import { readIndexFile } from './read-index-file.ts';
import { addInSlices } from './slices.ts';
import { UsearchIndex, type UsearchIndexOptions } from './usearch-index.ts';
import type { VectorIndex, VectorMatch } from '../../ports/vector-index.ts';

export interface AdaptiveIndexOptions {
  dimension: number;
  /** Gallery size from which HNSW answers instead of brute force. */
  cutover?: number;
  hnsw?: Omit<UsearchIndexOptions, 'dimension'>;
  threads?: number;
}

/**
 * From bench/search-cutover.ts (bench/results/search-cutover.json): HNSW at recall@10 >= 0.99
 * out-runs the brute-force scan at every size measured, from 1k faces (2.5-10x). Below 10k the
 * scan still answers a query in about a millisecond and is exact, which is worth more there than
 * throughput: a subject's access request on a small gallery then misses nothing.
 */
export const DEFAULT_CUTOVER = 10_000;
const COPY_BATCH = 2048;
// Below this many pending changes the final catch-up runs in one go, during the swap.
const SWAP_BACKLOG = 256;

/**
 * Exact search while the gallery is small (perfect recall, and faster there), HNSW once it grows
 * past the cut-over. Crossing it starts a background build of the HNSW from the exact index's
 * vectors; the exact index keeps answering until the HNSW has caught up with every change made
 * meanwhile, and the two are swapped between two event-loop turns. It never switches back: a
 * gallery that shrinks keeps its HNSW until it is rebuilt or compacted.
 */
export class AdaptiveIndex implements VectorIndex {
  readonly dimension: number;
  readonly cutover: number;
  private readonly options: AdaptiveIndexOptions;
  private current: ExactIndex | UsearchIndex;
  private migration: { touched: Set<number>; done: Promise<void> } | undefined;
  private mutations = 0;
  private closed = false;
  /** The file a read-only view maps; read into memory on the first addition. */
  private readonly viewedFile: string | undefined;

  constructor(options: AdaptiveIndexOptions, initial?: ExactIndex | UsearchIndex, viewedFile?: string) {
    this.options = options;
    this.viewedFile = viewedFile;
    this.dimension = options.dimension;
    this.cutover = options.cutover ?? DEFAULT_CUTOVER;
    this.current = initial ?? new ExactIndex({ dimension: options.dimension, threads: options.threads });
  }

  /** Opens a file saved by either engine; `view` memory-maps an HNSW file read-only. */
  static load(path: string, options: Partial<AdaptiveIndexOptions> = {}, mode: 'load' | 'view' = 'load'): AdaptiveIndex {
    const open = { dimension: options.dimension, threads: options.threads, expansionSearch: options.hnsw?.expansionSearch };
    const inner = isExactFile(path)
      ? ExactIndex.load(path, open)
      : mode === 'view'
        ? UsearchIndex.view(path, open)
        : UsearchIndex.load(path, open);
    return new AdaptiveIndex({ ...options, dimension: inner.dimension }, inner, inner instanceof UsearchIndex && inner.readOnly ? path : undefined);
  }

  get engine(): 'exact' | 'hnsw' {
    return this.current instanceof ExactIndex ? 'exact' : 'hnsw';
  }

  get size(): number {
    return this.current.size;
  }

  /** Resolves once a switch to HNSW that is under way has finished. */
  async settled(): Promise<void> {
    await this.migration?.done;
  }

  add(keys: readonly number[], vectors: readonly Float32Array[]): void {
    if (this.current instanceof UsearchIndex && this.current.readOnly) this.loadViewed(this.current);
    this.current.add(keys, vectors);
    this.mutations++;
    if (this.migration) for (const key of keys) this.migration.touched.add(key);
    else if (this.current instanceof ExactIndex && this.current.size >= this.cutover) this.migrate(this.current);
  }

  remove(keys: readonly number[]): void {
    this.current.remove(keys);
    this.mutations++;
    if (this.migration) for (const key of keys) this.migration.touched.add(key);
  }

  has(key: number): boolean {
    return this.current.has(key);
  }

  search(query: Float32Array, k: number): VectorMatch[] {
    return this.current.search(query, k);
  }

  async searchBatch(queries: readonly Float32Array[], k: number): Promise<VectorMatch[][]> {
    const before = this.mutations;
    const results = await this.current.searchBatch(queries, k);
    // The engines may have been swapped mid-batch; what was removed since must not come back.
    return this.mutations === before ? results : results.map((matches) => matches.filter((m) => this.has(m.key)));
  }

  save(path: string): void {
    this.current.save(path);
  }

  close(): void {
    this.closed = true;
    this.current.close();
  }

  /** A view cannot change: its file is read whole, with the view's removals applied again. */
  private loadViewed(view: UsearchIndex): void {
    if (!this.viewedFile) throw new Error('a read-only index without its file');
    const loaded = UsearchIndex.load(this.viewedFile, { threads: this.options.threads, ...this.options.hnsw, dimension: this.dimension });
    loaded.remove(view.removedFromView());
    this.current = loaded;
    view.close();
  }

  private migrate(exact: ExactIndex): void {
    const touched = new Set<number>();
    const target = new UsearchIndex({ threads: this.options.threads, ...this.options.hnsw, dimension: this.dimension });
    const copy = (keys: readonly number[]) => {
      const present: number[] = [];
      const vectors: Float32Array[] = [];
      const gone: number[] = [];
      for (const key of keys) {
        const v = exact.vectorOf(key);
        if (v) {
          present.push(key);
          vectors.push(v);
        } else {
          gone.push(key);
        }
      }
      return { present, vectors, gone };
    };
    const abandoned = () => {
      if (this.closed) target.close();
      return this.closed;
    };
    const done = (async () => {
      const keys = exact.keyList();
      for (let i = 0; i < keys.length; i += COPY_BATCH) {
        await yieldToEventLoop();
        if (abandoned()) return;
        const batch = copy(keys.slice(i, i + COPY_BATCH).filter((key) => !touched.has(key)));
        await addInSlices(target, batch.present, batch.vectors);
      }
      while (touched.size > SWAP_BACKLOG) {
        const backlog = [...touched];
        touched.clear();
        const batch = copy(backlog);
        target.remove(batch.gone);
        await addInSlices(target, batch.present, batch.vectors);
        if (abandoned()) return;
      }
      if (abandoned()) return;
      const last = copy([...touched]);
      target.remove(last.gone);
      target.add(last.present, last.vectors);
      this.current = target;
      this.migration = undefined;
    })();
    this.migration = { touched, done };
    done.catch(() => {
      // Keep answering exactly; the next add past the cut-over tries again.
      if (this.migration?.done === done) this.migration = undefined;
      target.close();
    });
  }
}

function isExactFile(path: string): boolean {
  return readIndexFile(path, (fd) => {
    const magic = Buffer.alloc(8);
    readSync(fd, magic, 0, 8, 0);
    return magic.toString('latin1') === 'LKNSEXCT';
  });
}
