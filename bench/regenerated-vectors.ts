import type { SyntheticFaces } from './synthetic-faces.ts';

/**
 * The full-precision vectors re-ranking reads, regenerated from the synthetic gallery (every face
 * is a pure function of its index, bench/synthetic-faces.ts) instead of held in memory: 10M faces
 * of f32 would be 20 GB. Regenerating one face costs about 0.1-0.2 ms, far more than the product's
 * read of a stored embedding from a warm page, so the candidates a run will ask for are made
 * beforehand (`prefetch`, from an untimed pass of the same searches) and a timed search only
 * copies them, as a read from the store's cache would; a key not prefetched is regenerated and
 * counted in `regenerated`.
 */
export class RegeneratedVectors {
  private readonly faces: SyntheticFaces;
  private readonly cache = new Map<number, Float32Array>();
  private readonly dimension: number;
  /** Keys asked for that were not prefetched. */
  regenerated = 0;

  constructor(faces: SyntheticFaces) {
    this.faces = faces;
    this.dimension = faces.options.dimension;
  }

  /** Copies, like a read from a store: a caller may keep or change what it gets. */
  readonly vectorsOf = (keys: readonly number[]): (Float32Array | undefined)[] =>
    keys.map((key) => {
      const cached = this.cache.get(key);
      if (cached) return cached.slice();
      if (!this.holds(key)) return undefined;
      this.regenerated++;
      return this.make(key);
    });

  /** Makes the vectors of these keys now, so that later reads of them cost a copy. */
  prefetch(keys: Iterable<number>): void {
    for (const key of keys) if (this.holds(key) && !this.cache.has(key)) this.cache.set(key, this.make(key));
  }

  get prefetched(): number {
    return this.cache.size;
  }

  clear(): void {
    this.cache.clear();
    this.regenerated = 0;
  }

  private holds(key: number): boolean {
    return Number.isInteger(key) && key >= 0 && key < this.faces.options.faces;
  }

  private make(key: number): Float32Array {
    const out = new Float32Array(this.dimension);
    this.faces.fill(key, key + 1, out);
    return out;
  }
}
