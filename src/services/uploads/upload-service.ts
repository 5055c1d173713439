import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import type { Box } from '../../domain/types.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import { isLikenessError, LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { ImageTools } from '../../ports/image-tools.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { CatalogueService } from '../catalogue-service.ts';
import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';
import { analysisForIngestion, IngestService } from '../ingest-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/ids.ts';
import type { ImageFile } from '../../ports/image-files.ts';
import type { CollectionGate, RefusalEvent } from '../../ports/collection-gate.ts';
import type { IngestObserver } from '../../ports/ingest-observer.ts';
import { PreAnalysedEngine } from './pre-analysed-engine.ts';

export interface UploadedImage {
  filename: string;
  bytes: Uint8Array;
}

export interface UploadedImageResult {
  filename: string;
  sha256: string;
  /** `skipped`: the source already had these exact bytes; `refused`: a collection rule kept every face out. */
  status: 'ingested' | 'skipped' | 'refused';
  faces: Array<{ id: string; box: Box; detectionScore: number; expiresAt: string }>;
  /** Faces (by index, largest first) or the whole image that a policy rule kept out. */
  refusals?: Array<{ face: number | 'image'; ruleId: string; reason: string }>;
}

export interface UploadDependencies {
  engine: () => Promise<FaceEngine>;
  indexes: () => Promise<GalleryIndexes>;
  store: Store;
  catalogue: CatalogueService;
  audit: AuditService;
  images: ImageTools;
  clock: Clock;
  ids: IdGenerator;
  /** The collection rules, as for any other ingestion; none when left out. */
  gates?: () => Promise<CollectionGate[]>;
  /** Told of each committed image in its transaction, as for any other ingestion (standing searches). */
  observers?: readonly IngestObserver[];
}

/**
 * Images sent over the API into a declared source. All or nothing: every image is decoded and
 * analysed before any is stored, so one bad file refuses the whole upload and leaves nothing
 * indexed; then ingestion stores and indexes them as it does for a folder.
 */
export class UploadService {
  constructor(private readonly deps: UploadDependencies) {}

  async upload(who: Principal, sourceName: string, images: readonly UploadedImage[]): Promise<UploadedImageResult[]> {
    if (images.length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'An upload needs at least one image file');
    const { store, catalogue, audit } = this.deps;
    const source = await catalogue.sourceByName(sourceName);
    if (source.status !== 'active') throw new LikenessError('LIKENESS_SOURCE_INACTIVE', `Source "${source.name}" is ${source.status} and takes no new images`);
    const base = { actor: who.user.id, client: who.client.id, target: source.id };
    const hashes = images.map((i) => createHash('sha256').update(i.bytes).digest('hex'));

    const gates = (await this.deps.gates?.()) ?? [];
    const engine = new PreAnalysedEngine(await this.deps.engine());
    // Asked as ingestion asks, so the analysis kept for it carries the perceptual hash and the
    // ages: the face workers make them from the pixels they decoded, and the thread that answers
    // requests decodes nothing (docs/architecture.md, "Collection").
    const analysis = analysisForIngestion(gates);
    try {
      await Promise.all(images.map(async (image) => {
        try {
          await engine.analyse(image.bytes, analysis);
        } catch (error) {
          if (isLikenessError(error)) throw new LikenessError(error.code, `${image.filename}: ${error.message}`, { cause: error });
          throw error;
        }
      }));
    } catch (error) {
      const code = isLikenessError(error) ? error.code : 'LIKENESS_INTERNAL';
      await audit.record({ ...base, action: 'upload.refused', details: { source: source.name, sha256: hashes, code } });
      throw error;
    }

    const present = await Promise.all(hashes.map((h) => store.images.findBySha256(source.id, h)));
    const files: ImageFile[] = images.map((image, i) => ({ path: `upload/${image.filename}`, read: async () => images[i]!.bytes }));
    const ingest = new IngestService(engine, store, catalogue, audit, await this.deps.indexes(), this.deps.clock, this.deps.ids, 2, this.deps.images, gates, this.deps.observers);
    const refusals = new Map<string, RefusalEvent[]>();
    const summary = await ingest.ingest(files, source.name, {
      actor: { actor: base.actor, client: base.client },
      onRefusal: async (event) => {
        refusals.set(event.sha256, [...(refusals.get(event.sha256) ?? []), event]);
        await audit.record({ ...base, action: 'ingest.refused', details: refusalDetails(event) });
      },
    });
    if (summary.failures.length > 0) {
      const first = summary.failures[0]!;
      throw new LikenessError(first.code, `${first.path}: ${first.message}`);
    }

    const results: UploadedImageResult[] = [];
    for (const [i, image] of images.entries()) {
      const record = await store.images.findBySha256(source.id, hashes[i]!);
      const faces = record ? await store.faces.findByImage(record.id) : [];
      const refused = refusals.get(hashes[i]!) ?? [];
      results.push({
        filename: image.filename,
        sha256: hashes[i]!,
        status: present[i] ? 'skipped' : record ? 'ingested' : 'refused',
        faces: faces.map((f) => ({ id: f.id, box: f.box, detectionScore: f.quality.detectionScore, expiresAt: f.expiresAt })),
        ...(refused.length > 0 ? { refusals: refused.map((r) => ({ face: r.scope === 'image' ? 'image' as const : r.scope, ruleId: r.ruleId, reason: r.reason })) } : {}),
      });
    }
    await audit.record({
      ...base, action: 'upload',
      details: { source: source.name, images: results.map((r) => ({ sha256: r.sha256, status: r.status, faces: r.faces.map((f) => f.id) })) },
    });
    return results;
  }
}

/** What an audit entry of a refusal keeps: where, which rule; never a box, an age or an embedding. */
export function refusalDetails(event: RefusalEvent): Record<string, unknown> {
  return { source: event.source.name, path: event.path, sha256: event.sha256, face: event.scope, ruleId: event.ruleId };
}
