import type { AuditEntry } from '../../domain/accounts.ts';
import type { ErasureLedgerEntry, SuppressionEntry } from '../../domain/subjects.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { FaceService } from '../face-service.ts';
import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';

/** What the data directory held before a restore and must outlive it. */
export interface RightsCarriedOver {
  ledger: ErasureLedgerEntry[];
  suppression: SuppressionEntry[];
  /** The audit entries recorded after the backup was taken, in order. */
  audit: AuditEntry[];
}

export interface ReplayOutcome {
  ledgerEntries: number;
  auditEntriesCarried: number;
  facesErasedAgain: number;
  suppressionEntriesRestored: number;
  galleriesRebuilt: number;
}

/**
 * Reads what a restore must carry over from the store about to be replaced: the erasure ledger,
 * the suppression list and the audit entries made after the backup's last one. The backup must be
 * a past state of this store's chain; otherwise restoring it would fork the audit log.
 */
export async function carryOver(store: Store, backupHead: { seq: number; hash: string } | null): Promise<RightsCarriedOver> {
  const audit: AuditEntry[] = [];
  const after = backupHead?.seq ?? 0;
  let sawHead = false;
  let entries = 0;
  for await (const batch of store.accounts.audit.stream()) {
    for (const entry of batch) {
      entries++;
      if (backupHead && entry.seq === backupHead.seq) {
        if (entry.hash !== backupHead.hash) throw notAncestor(`parts from this data directory's at entry ${entry.seq}`);
        sawHead = true;
      }
      if (entry.seq > after) audit.push(entry);
    }
  }
  if (backupHead && entries > 0 && !sawHead) throw notAncestor(`ends at entry ${backupHead.seq}, past this data directory's last`);
  return { ledger: await store.rights.ledger.list(), suppression: await store.rights.suppression.list(), audit };
}

/**
 * docs/architecture.md, "Erasure", on restore: every erasure ever recorded (in the restored store or in the one it
 * replaced) is applied again, suppression entries made since the backup are put back, and every
 * index is rebuilt from the store, so no erased face is searchable nor left in an index file.
 */
export async function replayLedger(store: Store, faces: FaceService, indexes: GalleryIndexes, carried: RightsCarriedOver,
  backupHead: { seq: number; hash: string } | null): Promise<ReplayOutcome> {
  // The audit entries, the ledger and the suppression list made since the backup come back as one unit.
  const missing = await store.transaction(async (tx) => {
    const last = await tx.accounts.audit.last();
    // The chain must end where the carried entries follow on: at the backup's last entry, or at one
    // of them already written back. Anything else (another process wrote to the restored store)
    // would be skipped or forked by appending by sequence number.
    const atHead = (last?.seq ?? 0) === (backupHead?.seq ?? 0) && last?.hash === backupHead?.hash;
    if (!atHead && !carried.audit.some((e) => e.seq === last?.seq && e.hash === last.hash)) {
      throw new LikenessError('LIKENESS_CONFLICT', `the restored store's audit chain ends at entry ${last?.seq ?? 0}, which is neither the backup's last entry nor one carried over: `
        + 'another process wrote to it during the restore; stop it and run likeness restore --resume');
    }
    for (const entry of carried.audit) if (entry.seq > (last?.seq ?? 0)) await tx.accounts.audit.append(entry);
    for (const entry of carried.ledger) if (!(await tx.rights.ledger.has(entry.id))) await tx.rights.ledger.append(entry);
    const present = new Set((await tx.rights.suppression.list()).map((e) => e.id));
    const absent = carried.suppression.filter((e) => !present.has(e.id));
    for (const entry of absent) await tx.rights.suppression.add(entry);
    return absent;
  });

  const ledger = await store.rights.ledger.list();
  const faceIds = [...new Set(ledger.flatMap((e) => e.faceIds))];
  const records = (await Promise.all(faceIds.map((id) => store.faces.findById(id)))).filter((f) => !!f);
  const { deleted } = await faces.delete(records.map((f) => f.id));
  await store.rights.deleteImagesWithoutFaces([...new Set(records.map((f) => f.imageId))]);
  const galleries = await store.galleries.list();
  for (const g of galleries) await indexes.compact(g.id);
  return { ledgerEntries: ledger.length, auditEntriesCarried: carried.audit.length, facesErasedAgain: deleted.length, suppressionEntriesRestored: missing.length, galleriesRebuilt: galleries.length };
}

function notAncestor(why: string): LikenessError {
  return new LikenessError('LIKENESS_CONFLICT', `the backup's audit chain ${why}: it is not a past state of this store, and restoring it would fork the audit log`);
}
