import type { SuppressionEntry } from '../../domain/subjects.ts';
import type { SuppressionRepository } from '../../ports/rights-store.ts';

/**
 * The templates of people who objected or were erased, read for one purpose only: to tell whether
 * a face is one of theirs. Re-read whenever the stored list changes, so an objection filed through
 * another process takes effect on the next face checked.
 */
export class SuppressionList {
  private cached: { version: string; entries: SuppressionEntry[] } | undefined;

  constructor(private readonly repository: SuppressionRepository, private readonly threshold: number) {}

  /** The best score of an embedding against any suppressed template, or null when it matches none. */
  async match(embedding: Float32Array, modelId?: string): Promise<number | null> {
    let best: number | null = null;
    for (const entry of await this.entries()) {
      if (modelId && entry.modelId !== modelId) continue;
      if (entry.template.length !== embedding.length) continue;
      const score = dot(entry.template, embedding);
      if (score >= this.threshold && (best === null || score > best)) best = score;
    }
    return best;
  }

  async add(entry: SuppressionEntry): Promise<void> {
    await this.repository.add(entry);
    this.cached = undefined;
  }

  async size(): Promise<number> {
    return (await this.entries()).length;
  }

  private async entries(): Promise<SuppressionEntry[]> {
    const version = await this.repository.version();
    if (this.cached?.version !== version) this.cached = { version, entries: await this.repository.list() };
    return this.cached.entries;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
