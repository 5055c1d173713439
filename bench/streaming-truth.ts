import { ExactIndex } from '../src/engines/vector-index/exact-index.ts';
import type { VectorMatch } from '../src/ports/vector-index.ts';
import { timed } from './search-metrics.ts';

/**
 * The exact top-k of a fixed set of queries over a gallery seen one chunk at a time: each chunk
 * is searched exactly (the same kernel as ExactIndex over the whole gallery) and merged into a
 * running top-k per query. Memory is one chunk plus k matches per query, whatever the gallery's
 * size, so the ground truth of 10M faces needs no 20 GB of float32 vectors.
 */
export class StreamingTopK {
  private readonly queries: readonly Float32Array[];
  private readonly k: number;
  private readonly dimension: number;
  private readonly threads: number;
  private readonly best: VectorMatch[][];
  /** Time spent in the exact search itself, without making the chunks: what exact search costs. */
  searchSeconds = 0;
  searchCpuSeconds = 0;
  rows = 0;

  constructor(options: { queries: readonly Float32Array[]; k: number; dimension: number; threads: number }) {
    this.queries = options.queries;
    this.k = options.k;
    this.dimension = options.dimension;
    this.threads = options.threads;
    this.best = options.queries.map(() => []);
  }

  /** Searches one chunk of the gallery; `rows` are views that may be overwritten once this resolves. */
  async add(keys: readonly number[], rows: readonly Float32Array[]): Promise<void> {
    if (keys.length === 0 || this.queries.length === 0) return;
    const chunk = new ExactIndex({ dimension: this.dimension, threads: this.threads });
    chunk.add(keys, rows);
    const found = await timed(() => chunk.searchBatch(this.queries, this.k));
    chunk.close();
    this.searchSeconds += found.seconds;
    this.searchCpuSeconds += found.cpuSeconds;
    this.rows += keys.length;
    found.value.forEach((matches, q) => {
      this.best[q] = mergeTopK(this.best[q]!, matches, this.k);
    });
  }

  /** The top-k of every query, best first. */
  results(): VectorMatch[][] {
    return this.best.map((matches) => matches.map((m) => ({ ...m })));
  }
}

/** The k best of two lists, by score and then by key, so that ties resolve the same way in every chunking. */
export function mergeTopK(a: readonly VectorMatch[], b: readonly VectorMatch[], k: number): VectorMatch[] {
  return [...a, ...b].sort((x, y) => y.score - x.score || x.key - y.key).slice(0, k);
}
