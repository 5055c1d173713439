import type { Store } from '../../ports/store.ts';
import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';

export interface FaceMatch {
  faceId: string;
  vectorKey: number;
  score: number;
}

const FIRST_K = 100;
const MAX_K = 100_000;

/**
 * Every gallery face at or above a threshold for one template: not a top-k but all of them, so
 * the index is asked for more until its worst answer falls below the threshold. Scores come from
 * the stored embeddings, never from a quantised index.
 */
export class SubjectMatcher {
  constructor(private readonly store: Store, private readonly indexes: () => Promise<GalleryIndexes>) {}

  async matches(template: Float32Array, threshold: number): Promise<FaceMatch[]> {
    const indexes = await this.indexes();
    const galleries = (await this.store.galleries.list()).map((g) => g.id);
    let k = FIRST_K;
    for (;;) {
      const found = await indexes.search(galleries, template, k);
      const exhausted = found.length < k || found[found.length - 1]!.score < threshold - 0.05 || k >= MAX_K;
      if (exhausted) return this.exact(template, found.map((m) => m.key), threshold);
      k *= 4;
    }
  }

  private async exact(template: Float32Array, keys: number[], threshold: number): Promise<FaceMatch[]> {
    const stored = await this.store.faces.embeddingsByVectorKeys(keys);
    const passing = stored.map((e) => ({ key: e.vectorKey, score: dot(template, e.embedding) })).filter((m) => m.score >= threshold);
    const provenance = await this.store.faces.provenanceByVectorKeys(passing.map((m) => m.key));
    const scoreByKey = new Map(passing.map((m) => [m.key, m.score]));
    return provenance.map((p) => ({ faceId: p.face.id, vectorKey: p.face.vectorKey, score: scoreByKey.get(p.face.vectorKey)! }))
      .sort((a, b) => b.score - a.score);
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
