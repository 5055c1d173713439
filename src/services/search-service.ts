import type { Box, ImageRecord, Source } from '../domain/types.ts';
import type { DetectedFace, FaceEngine } from '../ports/face-engine.ts';
import { LikenessError } from '../errors.ts';
import type { Store } from '../ports/store.ts';
import { pathInSource } from './faces/path-in-source.ts';
import type { CandidateFilter } from '../ports/candidate-filter.ts';
import type { AnsweredSearch, GalleryIndexes } from '../ports/gallery-indexes.ts';
import { collapseDuplicates } from './searches/collapse-duplicates.ts';
import { mostProminent, probeWarnings, type ProbeWarning } from './searches/probe-choice.ts';

export interface ProbeFace {
  /** A pivot's stored face. */
  faceId?: string;
  box: Box;
  detectionScore: number;
  /** Index of the face among the image's faces, largest first. */
  faceIndex: number;
  facesInImage: number;
  /** Why the calibration may not hold for this face; empty when it should. */
  warnings: ProbeWarning[];
}

export interface CandidateImage {
  image: Pick<ImageRecord, 'path' | 'url' | 'pageUrl' | 'collectedAt'>;
  source: Pick<Source, 'id' | 'name' | 'legalBasis' | 'jurisdictions'>;
}

/** Another copy of a candidate's photo (same bytes, or near-identical): shown once, listed here. */
export interface DuplicateCopy extends CandidateImage {
  faceId: string;
  galleryId: string;
}

export interface Candidate extends CandidateImage {
  faceId: string;
  score: number;
  box: Box;
  galleryId: string;
  alsoAt: DuplicateCopy[];
}

/** Which face of a probe photo: its index (largest first), or the most prominent by default. */
export type FaceChoice = number | 'prominent';

export interface SearchRequest {
  top?: number;
  threshold?: number;
  /** Which face of the probe, largest first; the most prominent face when left out. */
  faceIndex?: number;
  /** Gallery names; all galleries when left out. */
  galleries?: string[];
}

/** A threshold, or how to pick one once the number of faces searched is known. */
export type ThresholdRule = number | ((searchedFaces: number) => number);

export interface TemplateSearch {
  top?: number;
  threshold?: ThresholdRule;
  /** Gallery names; all galleries when left out. */
  galleries?: string[];
  /** Faces never to return: the stored face a pivot starts from. */
  excludeFaceIds?: readonly string[];
  /**
   * Whether a sharded store may answer from the shards that answered in time (the policy's
   * searches.partialResults); otherwise a shard that does not answer fails the search.
   */
  allowPartial?: boolean;
}

export interface TemplateSearchResult {
  /** Faces compared: the searchable faces of the galleries searched, on the shards that answered. */
  searchedFaces: number;
  threshold: number;
  candidates: Candidate[];
  /** Present only when some shards did not answer: the faces on them were not compared. */
  partial?: true;
  /** The shards that did not answer (their foreign servers on the coordinator), when partial. */
  missingShards?: string[];
}

export interface SearchResult extends TemplateSearchResult {
  probe: ProbeFace;
}

export interface ProbeTemplate {
  face: DetectedFace;
  probe: ProbeFace;
}

export interface CompareResult {
  score: number;
  threshold: number;
  match: boolean;
  a: ProbeFace;
  b: ProbeFace;
}

// Candidates fetched per result: room for re-ranking a quantised index's order, for faces
// deleted since the index was saved, and for copies of one photo that collapse into one.
const OVERFETCH = 3;

/** A group photo is searched face by face; past this many faces the request is refused, not cut. */
export const MAX_PROBE_FACES = 50;

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
    const [chosen] = await this.probeTemplates(probe, request.faceIndex ?? 'prominent');
    const result = await this.searchTemplate(chosen!.face.embedding, request);
    return { probe: chosen!.probe, ...result };
  }

  /** Searches the galleries for one template: a probe face's, a fused one, or a stored face's. */
  async searchTemplate(template: Float32Array, request: TemplateSearch = {}): Promise<TemplateSearchResult> {
    const top = request.top ?? this.defaults.top;
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new LikenessError('LIKENESS_BAD_INPUT', 'top must be a whole number from 1 to 1000');
    if (typeof request.threshold === 'number' && !(request.threshold >= -1 && request.threshold <= 1)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', 'threshold must be a cosine similarity from -1 to 1');
    }
    const galleryIds = await this.galleryIds(request.galleries);
    const excluded = new Set(request.excludeFaceIds ?? []);
    const k = (top + excluded.size) * OVERFETCH;
    const { matches, searchedFaces, missingShards } = await this.candidates(galleryIds, template, k, request.allowPartial ?? false);
    // The threshold is chosen for the faces compared: those of a missing shard can match nobody.
    const rule = request.threshold ?? this.defaults.threshold;
    const threshold = typeof rule === 'number' ? rule : rule(searchedFaces);

    const scored = await this.exactScores(template, matches);
    const passing = scored.filter((m) => m.score >= threshold);
    const provenance = (await this.store.faces.provenanceByVectorKeys(passing.map((m) => m.key))).filter((p) => !excluded.has(p.face.id));
    const byKey = new Map(passing.map((m) => [m.key, m]));
    const ranked = provenance.map((p) => ({ ...p, box: p.face.box, score: byKey.get(p.face.vectorKey)!.score, embedding: byKey.get(p.face.vectorKey)!.embedding }));
    const candidates = collapseDuplicates(ranked).slice(0, top).map(({ kept, copies }) => ({
      faceId: kept.face.id,
      score: kept.score,
      box: kept.box,
      ...shown(kept),
      galleryId: kept.face.galleryId,
      alsoAt: copies.map((c) => ({ faceId: c.face.id, galleryId: c.face.galleryId, ...shown(c) })),
    }));
    return { searchedFaces, threshold, candidates, ...(missingShards.length > 0 ? { partial: true as const, missingShards } : {}) };
  }

  /**
   * The index's candidates and the faces they were chosen from. Where partial answers are allowed
   * and the index is sharded, the shards are searched and counted each on its own
   * (docs/scaling.md, "A shard that does not answer"); otherwise every face answers or the search fails.
   */
  private async candidates(galleryIds: readonly string[], template: Float32Array, k: number, allowPartial: boolean): Promise<AnsweredSearch> {
    if (allowPartial && this.indexes.searchAnswering) return this.indexes.searchAnswering(galleryIds, template, k);
    let searchedFaces = 0;
    for (const id of galleryIds) searchedFaces += await this.indexes.size(id);
    return { matches: await this.indexes.search(galleryIds, template, k), searchedFaces, missingShards: [] };
  }

  async compare(a: Uint8Array, b: Uint8Array, threshold = this.defaults.threshold): Promise<CompareResult> {
    const [[fa], [fb]] = await Promise.all([this.probeTemplates(a, 'prominent'), this.probeTemplates(b, 'prominent')]);
    const score = dot(fa!.face.embedding, fb!.face.embedding);
    return { score, threshold, match: score >= threshold, a: fa!.probe, b: fb!.probe };
  }

  /**
   * The faces of a probe photo to search with: the chosen one, or every face (largest first).
   * A photo without a face is refused (LIKENESS_NO_FACE).
   */
  async probeTemplates(bytes: Uint8Array, choice: FaceChoice | 'all'): Promise<ProbeTemplate[]> {
    if (typeof choice === 'number' && (!Number.isInteger(choice) || choice < 0)) throw new LikenessError('LIKENESS_BAD_INPUT', 'The face index must be 0 or more');
    const analysed = await this.engine.analyse(bytes);
    const faces = analysed.faces;
    if (faces.length === 0) throw new LikenessError('LIKENESS_NO_FACE');
    const template = (i: number): ProbeTemplate => ({
      face: faces[i]!,
      probe: { box: faces[i]!.box, detectionScore: faces[i]!.detectionScore, faceIndex: i, facesInImage: faces.length, warnings: probeWarnings(faces[i]!.quality) },
    });
    if (choice === 'all') {
      if (faces.length > MAX_PROBE_FACES) {
        throw new LikenessError('LIKENESS_BAD_INPUT', `The photo has ${faces.length} faces; at most ${MAX_PROBE_FACES} are searched at once`);
      }
      return faces.map((_, i) => template(i));
    }
    const index = choice === 'prominent' ? mostProminent(faces, analysed.width, analysed.height) : choice;
    if (!faces[index]) {
      throw new LikenessError('LIKENESS_FACE_INDEX_OUT_OF_RANGE', `The image has ${faces.length} face(s); face index ${index} does not exist`);
    }
    return [template(index)];
  }

  /**
   * Re-scores index candidates against the embeddings in the store of record, so a quantised
   * index chooses candidates but never decides a score; a key the store no longer has is dropped.
   */
  private async exactScores(query: Float32Array, matches: readonly { key: number }[]): Promise<{ key: number; score: number; embedding: Float32Array }[]> {
    let stored = await this.store.faces.embeddingsByVectorKeys(matches.map((m) => m.key));
    for (const filter of this.filters) {
      const allowed = await filter.allowed(stored.map((e) => ({ key: e.vectorKey, embedding: e.embedding })));
      stored = stored.filter((e) => allowed.has(e.vectorKey));
    }
    return stored.map((e) => ({ key: e.vectorKey, score: dot(query, e.embedding), embedding: e.embedding })).sort((a, b) => b.score - a.score);
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

function shown(p: { image: ImageRecord; source: Source }): CandidateImage {
  const { image, source } = p;
  return {
    image: { path: pathInSource(image.path, source), url: image.url, pageUrl: image.pageUrl, collectedAt: image.collectedAt },
    source: { id: source.id, name: source.name, legalBasis: source.legalBasis, jurisdictions: source.jurisdictions },
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
