import type { Box, ImageRecord, Source } from '../domain/types.ts';
import type { DetectedFace, FaceEngine } from '../ports/face-engine.ts';
import { LikenessError } from '../errors.ts';
import type { Store } from '../ports/store.ts';
import { pathInSource } from './faces/path-in-source.ts';
import type { CandidateFilter } from '../ports/candidate-filter.ts';
import type { GalleryIndexes } from '../ports/gallery-indexes.ts';

export interface ProbeFace {
  box: Box;
  detectionScore: number;
  faceIndex: number;
  facesInImage: number;
}

export interface Candidate {
  faceId: string;
  score: number;
  box: Box;
  image: Pick<ImageRecord, 'path' | 'url' | 'pageUrl' | 'collectedAt'>;
  source: Pick<Source, 'id' | 'name' | 'legalBasis' | 'jurisdictions'>;
  galleryId: string;
}

export interface SearchRequest {
  top?: number;
  threshold?: number;
  /** Which face of the probe, largest first; 0 by default. */
  faceIndex?: number;
  /** Gallery names; all galleries when left out. */
  galleries?: string[];
}

export interface SearchResult {
  probe: ProbeFace;
  threshold: number;
  candidates: Candidate[];
}

export interface CompareResult {
  score: number;
  threshold: number;
  match: boolean;
  a: ProbeFace;
  b: ProbeFace;
}

// Candidates fetched per result: room for re-ranking a quantised index's order, and for
// faces deleted since the index was saved.
const OVERFETCH = 3;

export class SearchService {
  constructor(
    private readonly engine: FaceEngine,
    private readonly store: Store,
    private readonly indexes: GalleryIndexes,
    private readonly defaults: { threshold: number; top: number },
    private readonly filters: readonly CandidateFilter[] = [],
  ) {}

  /** The calibrated threshold used when a search names none. */
  get defaultThreshold(): number {
    return this.defaults.threshold;
  }

  async search(probe: Uint8Array, request: SearchRequest = {}): Promise<SearchResult> {
    const top = request.top ?? this.defaults.top;
    const threshold = request.threshold ?? this.defaults.threshold;
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new LikenessError('LIKENESS_BAD_INPUT', 'top must be a whole number from 1 to 1000');
    if (!(threshold >= -1 && threshold <= 1)) throw new LikenessError('LIKENESS_BAD_INPUT', 'threshold must be a cosine similarity from -1 to 1');

    const { face, probe: probeFace } = await this.probeFace(probe, request.faceIndex ?? 0);
    const galleryIds = await this.galleryIds(request.galleries);
    const scored = await this.exactScores(face.embedding, await this.indexes.search(galleryIds, face.embedding, top * OVERFETCH));
    const passing = scored.filter((m) => m.score >= threshold);
    const provenance = await this.store.faces.provenanceByVectorKeys(passing.map((m) => m.key));
    const scoreByKey = new Map(passing.map((m) => [m.key, m.score]));
    const candidates = provenance.slice(0, top).map(({ face: f, image, source }) => ({
      faceId: f.id,
      score: scoreByKey.get(f.vectorKey)!,
      box: f.box,
      image: { path: pathInSource(image.path, source), url: image.url, pageUrl: image.pageUrl, collectedAt: image.collectedAt },
      source: { id: source.id, name: source.name, legalBasis: source.legalBasis, jurisdictions: source.jurisdictions },
      galleryId: f.galleryId,
    }));
    return { probe: probeFace, threshold, candidates };
  }

  async compare(a: Uint8Array, b: Uint8Array, threshold = this.defaults.threshold): Promise<CompareResult> {
    const [fa, fb] = await Promise.all([this.probeFace(a, 0), this.probeFace(b, 0)]);
    const score = dot(fa.face.embedding, fb.face.embedding);
    return { score, threshold, match: score >= threshold, a: fa.probe, b: fb.probe };
  }

  /**
   * Re-scores index candidates against the embeddings in the store of record, so a quantised
   * index chooses candidates but never decides a score; a key the store no longer has is dropped.
   */
  private async exactScores(query: Float32Array, matches: readonly { key: number }[]): Promise<{ key: number; score: number }[]> {
    let stored = await this.store.faces.embeddingsByVectorKeys(matches.map((m) => m.key));
    for (const filter of this.filters) {
      const allowed = await filter.allowed(stored.map((e) => ({ key: e.vectorKey, embedding: e.embedding })));
      stored = stored.filter((e) => allowed.has(e.vectorKey));
    }
    return stored.map((e) => ({ key: e.vectorKey, score: dot(query, e.embedding) })).sort((a, b) => b.score - a.score);
  }

  private async probeFace(bytes: Uint8Array, faceIndex: number): Promise<{ face: DetectedFace; probe: ProbeFace }> {
    if (!Number.isInteger(faceIndex) || faceIndex < 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'The face index must be 0 or more');
    const analysed = await this.engine.analyse(bytes);
    if (analysed.faces.length === 0) throw new LikenessError('LIKENESS_NO_FACE');
    const face = analysed.faces[faceIndex];
    if (!face) {
      throw new LikenessError('LIKENESS_FACE_INDEX_OUT_OF_RANGE',
        `The image has ${analysed.faces.length} face(s); face index ${faceIndex} does not exist`);
    }
    return {
      face,
      probe: { box: face.box, detectionScore: face.detectionScore, faceIndex, facesInImage: analysed.faces.length },
    };
  }

  private async galleryIds(names?: string[]): Promise<string[]> {
    const all = await this.store.galleries.list();
    if (!names || names.length === 0) return all.map((g) => g.id);
    return names.map((name) => {
      const gallery = all.find((g) => g.name === name);
      if (!gallery) throw new LikenessError('LIKENESS_NOT_FOUND', `No gallery named "${name}"`);
      return gallery.id;
    });
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
