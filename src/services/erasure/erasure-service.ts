import type { AuditEntry } from '../../domain/accounts.ts';
import type { ErasureLedgerEntry, ErasureReason } from '../../domain/subjects.ts';
import type { FaceRecord } from '../../domain/types.ts';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../../ports/clock.ts';
import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';
import type { IdGenerator } from '../../ports/ids.ts';

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
  /** When the faces stopped being searchable (the commit), measured from the call. */
  invisibleAfterMs: number;
}

/**
 * Writes that belong to the same unit of work as an erasure (a subject request closed, its
 * suppression entry), committed with it; returns the audit entries it appended.
 */
export type AlongsideErasure = (tx: StoreRepositories, erased: readonly string[]) => Promise<AuditEntry[]>;

/**
 * The one way a face is erased (docs/architecture.md, "Erasure"): subject erasure, objection,
 * operator deletion, retention. The rows of the faces, the images left without a face, the
 * erasure-ledger entry (ids and content hashes, no biometric data, so a restored backup can erase
 * them again) and the audit entry commit in one store transaction: a process killed at any point
 * leaves either all of it or none of it, and running the erasure again finishes it. Search
 * re-checks every candidate against the store, so the faces are out of search from the commit;
 * the index then hides them, and compaction takes their bytes off the disk.
 */
export class ErasureService {
  constructor(
    private readonly store: Store,
    private readonly indexes: () => Promise<GalleryIndexes>,
    private readonly audit: AuditService,
    private readonly compaction: CompactionScheduler,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async erase(request: ErasureRequest, alongside?: AlongsideErasure): Promise<ErasureOutcome> {
    const started = performance.now();
    const unit = await this.store.transaction(async (tx) => {
      const records: FaceRecord[] = [];
      for (const id of new Set(request.faceIds)) {
        const face = await tx.faces.findById(id);
        if (face) records.push(face);
      }
      const provenance = await tx.faces.provenanceByVectorKeys(records.map((f) => f.vectorKey));
      const removedKeys = new Set(await tx.faces.deleteByIds(records.map((f) => f.id)));
      const erased = records.filter((f) => removedKeys.has(f.vectorKey));
      const audited: AuditEntry[] = [];
      let ledgerId: string | null = null;
      let imagesDeleted = 0;
      if (erased.length > 0) {
        const erasedIds = new Set(erased.map((f) => f.id));
        imagesDeleted = (await tx.rights.deleteImagesWithoutFaces([...new Set(erased.map((f) => f.imageId))])).length;
        const entry: ErasureLedgerEntry = {
          id: this.ids.newId(),
          at: this.clock.now().toISOString(),
          actor: request.actor,
          reason: request.reason,
          requestId: request.requestId ?? null,
          faceIds: erased.map((f) => f.id),
          imageSha256: [...new Set(provenance.filter((p) => erasedIds.has(p.face.id)).map((p) => p.image.sha256))],
        };
        await tx.rights.ledger.append(entry);
        ledgerId = entry.id;
        audited.push(await this.audit.append(tx, {
          actor: request.actor, client: request.client ?? null, action: 'erasure', target: entry.id,
          details: { reason: entry.reason, requestId: entry.requestId, faceIds: entry.faceIds, imageSha256: entry.imageSha256, imagesDeleted },
        }));
      }
      if (alongside) audited.push(...await alongside(tx, erased.map((f) => f.id)));
      return { erased, ledgerId, imagesDeleted, audited };
    });
    const invisibleAfterMs = performance.now() - started;
    this.audit.committed(unit.audited);
    const galleries = await this.hide(unit.erased);
    if (galleries.length > 0) await this.compaction.schedule(galleries);
    return { ledgerId: unit.ledgerId, erased: unit.erased.map((f) => f.id), imagesDeleted: unit.imagesDeleted, galleries, invisibleAfterMs };
  }

  /** Takes committed erasures out of the index; a process killed before this leaves work the index catches up on when it next opens. */
  private async hide(erased: readonly FaceRecord[]): Promise<string[]> {
    if (erased.length === 0) return [];
    const byGallery = new Map<string, number[]>();
    for (const f of erased) byGallery.set(f.galleryId, [...(byGallery.get(f.galleryId) ?? []), f.vectorKey]);
    const indexes = await this.indexes();
    for (const [galleryId, keys] of byGallery) await indexes.remove(galleryId, keys);
    await indexes.detached?.save();
    return [...byGallery.keys()];
  }
}
