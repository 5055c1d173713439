import type { ErasureLedgerEntry, ErasureReason } from '../../domain/subjects.ts';
import type { Store } from '../../repositories/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { FaceService } from '../face-service.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdGenerator } from '../ports/ids.ts';

/** Runs index compaction for galleries with erased faces: at once in a command, soon after in the server. */
export interface CompactionScheduler {
  schedule(galleryIds: readonly string[]): Promise<void>;
}

export interface ErasureRequest {
  faceIds: readonly string[];
  reason: ErasureReason;
  actor: string;
  client?: string | null;
  requestId?: string | null;
}

export interface ErasureOutcome {
  ledgerId: string | null;
  erased: string[];
  imagesDeleted: number;
  galleries: string[];
  /** When the faces stopped being searchable, measured from the call. */
  invisibleAfterMs: number;
}

/**
 * The one way a face is erased (docs/architecture.md, "Erasure"): subject erasure, objection,
 * operator deletion, retention. Out of search and out of the store's rows in the same call, images left without a
 * face deleted too, compaction scheduled so the bytes leave the disk, an erasure-ledger entry of
 * ids and content hashes (no biometric data) so a restored backup can erase them again, audited.
 */
export class ErasureService {
  constructor(
    private readonly store: Store,
    private readonly faces: () => Promise<FaceService>,
    private readonly audit: AuditService,
    private readonly compaction: CompactionScheduler,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async erase(request: ErasureRequest): Promise<ErasureOutcome> {
    const started = performance.now();
    const records = (await Promise.all(request.faceIds.map((id) => this.store.faces.findById(id)))).filter((f) => !!f);
    const provenance = await this.store.faces.provenanceByVectorKeys(records.map((f) => f.vectorKey));
    const { deleted } = await (await this.faces()).delete(records.map((f) => f.id));
    const invisibleAfterMs = performance.now() - started;
    if (deleted.length === 0) return { ledgerId: null, erased: [], imagesDeleted: 0, galleries: [], invisibleAfterMs };

    const erased = new Set(deleted);
    const imageIds = [...new Set(records.filter((f) => erased.has(f.id)).map((f) => f.imageId))];
    const imagesDeleted = await this.store.rights.deleteImagesWithoutFaces(imageIds);
    const galleries = [...new Set(records.filter((f) => erased.has(f.id)).map((f) => f.galleryId))];
    const entry: ErasureLedgerEntry = {
      id: this.ids.newId(),
      at: this.clock.now().toISOString(),
      actor: request.actor,
      reason: request.reason,
      requestId: request.requestId ?? null,
      faceIds: deleted,
      imageSha256: [...new Set(provenance.filter((p) => erased.has(p.face.id)).map((p) => p.image.sha256))],
    };
    await this.store.rights.ledger.append(entry);
    await this.audit.record({
      actor: request.actor, client: request.client ?? null, action: 'erasure', target: entry.id,
      details: { reason: entry.reason, requestId: entry.requestId, faceIds: entry.faceIds, imageSha256: entry.imageSha256, imagesDeleted: imagesDeleted.length },
    });
    await this.compaction.schedule(galleries);
    return { ledgerId: entry.id, erased: deleted, imagesDeleted: imagesDeleted.length, galleries, invisibleAfterMs };
  }
}
