import { createHash } from 'node:crypto';
import type { ImageRecord, Source } from '../domain/types.ts';
import type { AnalyseOptions, DetectedFace, FaceEngine } from '../ports/face-engine.ts';
import { isLikenessError, LikenessError, type ErrorCode } from '../errors.ts';
import type { NewFace, Store } from '../ports/store.ts';
import type { AuditService } from './audit/audit-service.ts';
import type { CatalogueService } from './catalogue-service.ts';
import type { GalleryIndexes } from '../ports/gallery-indexes.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdGenerator } from '../ports/ids.ts';
import type { CollectionGate, RefusalEvent } from '../ports/collection-gate.ts';
import type { ImageFile } from '../ports/image-files.ts';
import type { IngestObserver } from '../ports/ingest-observer.ts';
import type { ImageTools } from '../ports/image-tools.ts';
import { IngestCommitter, type CommitOutcome, type PreparedImage } from './ingest-commit.ts';

export interface IngestFailure {
  path: string;
  code: ErrorCode;
  message: string;
}

export interface IngestProgress {
  total: number;
  done: number;
  ingested: number;
  skipped: number;
  failed: number;
  faces: number;
  /** Images refused whole, and faces dropped, by a collection rule: counted, never stored. */
  refusedImages: number;
  refusedFaces: number;
}

export interface IngestSummary extends IngestProgress {
  withoutFace: number;
  refusalsByRule: Record<string, number>;
  failures: IngestFailure[];
  seconds: number;
}

export interface IngestOptions {
  /** Who ingests, as the audit entry of each stored image names them. */
  actor: AuditIdentity;
  onProgress?: (progress: IngestProgress) => void;
  onFailure?: (failure: IngestFailure) => void;
  /** Told of every refusal, e.g. to audit it; it carries no biometric data. */
  onRefusal?: (refusal: RefusalEvent) => void | Promise<void>;
  /** Saves the index every so many ingested images, so a stopped run loses little work. */
  saveEvery?: number;
  /**
   * Analysed images committed together in one store transaction, each with its faces and its
   * own audit entry (docs/architecture.md, "Store-wide transactions"). Default 8.
   */
  imagesPerCommit?: number;
}

/** The actor and client columns of an audit entry. */
export interface AuditIdentity {
  actor: string;
  client: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Ingestion through a declared source: decode, detect, align, embed, store, index.
 * Idempotent by content hash within a source; each image is committed with all its faces and its
 * audit entry in one transaction (several images to a transaction, ingest-commit.ts), so a run
 * stopped at any point resumes without loss or duplicates.
 */
export class IngestService {
  constructor(
    private readonly engine: FaceEngine,
    private readonly store: Store,
    private readonly catalogue: CatalogueService,
    private readonly audit: AuditService,
    private readonly indexes: GalleryIndexes,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly concurrency: number,
    private readonly images: ImageTools,
    private readonly gates: readonly CollectionGate[] = [],
    /** Matched against every committed image inside its transaction (standing searches). */
    private readonly observers: readonly IngestObserver[] = [],
  ) {}

  private get admission(): string | null {
    const admitted = this.gates.flatMap((g) => (g.admission ? [g.admission] : []));
    return admitted.length === 0 ? null : JSON.stringify(admitted.length === 1 ? admitted[0] : admitted);
  }

  async ingest(files: readonly ImageFile[], sourceName: string, options: IngestOptions): Promise<IngestSummary> {
    const source = await this.catalogue.sourceByName(sourceName);
    if (source.status !== 'active') {
      throw new LikenessError('LIKENESS_SOURCE_INACTIVE', `Source "${source.name}" is ${source.status} and takes no new images`);
    }
    const started = this.clock.now().getTime();
    const progress: IngestProgress = {
      total: files.length, done: 0, ingested: 0, skipped: 0, failed: 0, faces: 0, refusedImages: 0, refusedFaces: 0,
    };
    const failures: IngestFailure[] = [];
    const refusalsByRule: Record<string, number> = {};
    const refused = async (event: RefusalEvent) => {
      if (event.scope === 'image') progress.refusedImages++;
      else progress.refusedFaces++;
      refusalsByRule[event.ruleId] = (refusalsByRule[event.ruleId] ?? 0) + 1;
      await options.onRefusal?.(event);
    };
    let withoutFace = 0;
    let sinceSave = 0;
    const saveEvery = options.saveEvery ?? 500;
    const perCommit = Math.max(1, options.imagesPerCommit ?? 8);
    const committer = new IngestCommitter(this.store, this.audit, this.indexes, this.observers, source, options.actor);

    const finished = (file: ImageFile, outcome: CommitOutcome | 'refused') => {
      if (outcome === 'refused') {
        // Counted by `refused` already.
      } else if (outcome.kind === 'skipped') progress.skipped++;
      else if (outcome.kind === 'failed') {
        const failure = toFailure(file.path, outcome.error);
        failures.push(failure);
        progress.failed++;
        options.onFailure?.(failure);
      } else {
        progress.ingested++;
        progress.faces += outcome.faces;
        if (outcome.faces === 0) withoutFace++;
        sinceSave++;
      }
      progress.done++;
      options.onProgress?.({ ...progress });
    };

    // Analysed images wait here for their commit, a few to a transaction; they hold no image bytes.
    const ready: Array<{ file: ImageFile; prepared: PreparedImage }> = [];
    const commitReady = async () => {
      const batch = ready.splice(0);
      if (batch.length === 0) return;
      const outcomes = await committer.commit(batch.map((b) => b.prepared));
      batch.forEach((b, i) => finished(b.file, outcomes[i]!));
      if (sinceSave >= saveEvery) {
        sinceSave = 0;
        // A failed save here loses nothing: the run's last save below writes the whole index again.
        await this.indexes.detached?.save(source.galleryId).catch(() => undefined);
      }
    };

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const file = files[next++]!;
        let prepared: PreparedImage | 'skipped' | 'refused';
        try {
          prepared = await this.prepare(file, source, refused);
        } catch (error) {
          finished(file, { kind: 'failed', error });
          continue;
        }
        if (prepared === 'skipped' || prepared === 'refused') finished(file, prepared === 'skipped' ? { kind: 'skipped' } : 'refused');
        else {
          ready.push({ file, prepared });
          if (ready.length >= perCommit) await commitReady();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.concurrency) }, worker));
    await commitReady();
    await this.indexes.detached?.save(source.galleryId);
    return { ...progress, withoutFace, refusalsByRule, failures, seconds: (this.clock.now().getTime() - started) / 1000 };
  }

  /**
   * Decodes, analyses and checks one image against the collection rules: the image and faces to
   * store, 'skipped' for an image this source already has, or 'refused' when a collection rule
   * refused the image or every face in it.
   */
  private async prepare(
    file: ImageFile,
    source: Source,
    refused: (event: RefusalEvent) => Promise<void>,
  ): Promise<PreparedImage | 'skipped' | 'refused'> {
    const bytes = await file.read();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (await this.store.images.findBySha256(source.id, sha256)) return 'skipped';
    for (const gate of this.gates) {
      const refusal = await gate.checkImage?.({ source, sha256 });
      if (refusal) {
        await refused({ ...refusal, path: file.path, source, sha256, scope: 'image' });
        return 'refused';
      }
    }

    // The engine fingerprints the image and estimates ages in the thread that decoded it, so this
    // thread, which commits every image, does no pixel work (docs/architecture.md, "Collection").
    const analysed = await this.engine.analyse(bytes, analysisForIngestion(this.gates));
    const kept = [];
    for (const [i, face] of analysed.faces.entries()) {
      const refusal = await this.firstRefusal(source, face, analysed, bytes);
      if (refusal) await refused({ ...refusal, path: file.path, source, sha256, scope: i });
      else kept.push(face);
    }
    // An image whose every face was refused is not kept either: no trace but the count.
    if (kept.length === 0 && analysed.faces.length > 0) return 'refused';
    const now = this.clock.now();
    const image: ImageRecord = {
      id: this.ids.newId(),
      sourceId: source.id,
      sha256,
      perceptualHash: analysed.perceptualHash ?? await this.images.perceptualHash(bytes),
      path: file.url === undefined ? file.path : null,
      url: file.url ?? null,
      pageUrl: file.pageUrl ?? null,
      width: analysed.width,
      height: analysed.height,
      collectedAt: now.toISOString(),
      policyDecision: this.admission,
    };
    const expiresAt = new Date(now.getTime() + source.retentionDays * DAY_MS).toISOString();
    const faces: NewFace[] = kept.map((f) => ({
      id: this.ids.newId(),
      imageId: image.id,
      galleryId: source.galleryId,
      box: f.box,
      landmarks: f.landmarks,
      quality: f.quality,
      modelId: this.engine.modelId,
      expiresAt,
      status: 'active',
      createdAt: now.toISOString(),
      embedding: f.embedding,
    }));
    return { image, faces };
  }

  private async firstRefusal(source: Source, face: DetectedFace, image: { width: number; height: number }, bytes: Uint8Array) {
    for (const gate of this.gates) {
      const refusal = await gate.checkFace?.({ source, face, image, bytes });
      if (refusal) return refusal;
    }
    return undefined;
  }
}

/** What ingestion asks the engine for besides the faces: the image's perceptual hash, and ages where a rule reads them. */
export function analysisForIngestion(gates: readonly CollectionGate[]): AnalyseOptions {
  return { perceptualHash: true, estimateAges: gates.some((g) => g.readsAges) };
}

function toFailure(path: string, error: unknown): IngestFailure {
  if (isLikenessError(error)) return { path, code: error.code, message: error.message };
  return { path, code: 'LIKENESS_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
