import type { ErasureLedgerEntry, SuppressionEntry } from '../../domain/subjects.ts';
import type { Store } from '../../repositories/store.ts';
import type { FaceService } from '../face-service.ts';
import type { GalleryIndexes } from '../ports/gallery-indexes.ts';

/** What the data directory held before a restore and must outlive it. */
export interface RightsCarriedOver {
  ledger: ErasureLedgerEntry[];
  suppression: SuppressionEntry[];
}

export interface ReplayOutcome {
  ledgerEntries: number;
  facesErasedAgain: number;
  suppressionEntriesRestored: number;
  galleriesRebuilt: number;
}

/** Reads what a restore must carry over, from the store about to be replaced. */
export async function carryOver(store: Store): Promise<RightsCarriedOver> {
  return { ledger: await store.rights.ledger.list(), suppression: await store.rights.suppression.list() };
}

/**
 * docs/architecture.md, "Erasure survives a restore": every erasure ever recorded (in the restored store or in the one it
 * replaced) is applied again, suppression entries made since the backup are put back, and every
 * index is rebuilt from the store, so no erased face is searchable nor left in an index file.
 */
export async function replayLedger(store: Store, faces: FaceService, indexes: GalleryIndexes, carried: RightsCarriedOver): Promise<ReplayOutcome> {
  for (const entry of carried.ledger) if (!(await store.rights.ledger.has(entry.id))) await store.rights.ledger.append(entry);
  const present = new Set((await store.rights.suppression.list()).map((e) => e.id));
  const missing = carried.suppression.filter((e) => !present.has(e.id));
  for (const entry of missing) await store.rights.suppression.add(entry);

  const ledger = await store.rights.ledger.list();
  const faceIds = [...new Set(ledger.flatMap((e) => e.faceIds))];
  const records = (await Promise.all(faceIds.map((id) => store.faces.findById(id)))).filter((f) => !!f);
  const { deleted } = await faces.delete(records.map((f) => f.id));
  await store.rights.deleteImagesWithoutFaces([...new Set(records.map((f) => f.imageId))]);
  const galleries = await store.galleries.list();
  for (const g of galleries) await indexes.compact(g.id);
  return { ledgerEntries: ledger.length, facesErasedAgain: deleted.length, suppressionEntriesRestored: missing.length, galleriesRebuilt: galleries.length };
}
