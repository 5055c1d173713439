import type { CandidateFilter } from '../../ports/candidate-filter.ts';
import type { SuppressionList } from './suppression-list.ts';

/** Keeps suppressed people out of every search answer, whatever is still in the store. */
export class SuppressionFilter implements CandidateFilter {
  constructor(private readonly list: SuppressionList, private readonly modelId?: string) {}

  async allowed(candidates: ReadonlyArray<{ key: number; embedding: Float32Array }>): Promise<Set<number>> {
    const allowed = new Set<number>();
    for (const c of candidates) if ((await this.list.match(c.embedding, this.modelId)) === null) allowed.add(c.key);
    return allowed;
  }
}
