import { auditIdentity, type Actor } from '../../domain/accounts.ts';
import type { FaceOrigin, ListedFace } from '../../domain/cases.ts';
import { LikenessError } from '../../errors.ts';
import type { Store } from '../../ports/store.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';

export interface FacePage {
  faces: ListedFace[];
  /** Pass it back to get the next page; null on the last one. */
  nextCursor: string | null;
}

export interface TakedownOutcome {
  erased: number;
  imagesDeleted: number;
  /** The erasure-ledger entries, one per batch. */
  ledgerIds: string[];
}

const MAX_PAGE = 500;
// Faces erased per unit of work: each batch commits whole, so a takedown stopped half way is
// finished by running it again.
const TAKEDOWN_BATCH = 500;
const MAX_URL = 4096;

/**
 * Faces listed by where they were collected (a source, a page, an image URL), page by page, and
 * taken down the same way: a takedown request names a page, not a face. Every erasure goes
 * through the erasure service (docs/architecture.md, "Erasure").
 */
export class FacesByOrigin {
  constructor(
    private readonly store: Store,
    private readonly erasure: () => Promise<ErasureService>,
    private readonly audit: AuditService,
  ) {}

  async list(origin: FaceOrigin, page: { cursor?: string; limit?: number } = {}): Promise<FacePage> {
    const limit = page.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new LikenessError('LIKENESS_BAD_INPUT', `limit must be a whole number from 1 to ${MAX_PAGE}`);
    checkOrigin(origin);
    const rows = await this.store.cases.faceListing.list(origin, { after: page.cursor === undefined ? undefined : decodeCursor(page.cursor), limit: limit + 1 });
    const faces = rows.slice(0, limit);
    const last = faces.at(-1);
    return { faces: faces.map(({ key: _key, ...face }) => face), nextCursor: rows.length > limit && last ? encodeCursor(last.key) : null };
  }

  /** Erases every active face collected from a page or an image URL, in batches, each with its audit entries. */
  async takedown(who: Actor, origin: { pageUrl?: string; imageUrl?: string }): Promise<TakedownOutcome> {
    if (origin.pageUrl === undefined && origin.imageUrl === undefined) {
      throw new LikenessError('LIKENESS_BAD_INPUT', 'A takedown names the page URL or the image URL the faces were collected from');
    }
    checkOrigin(origin);
    const identity = auditIdentity(who);
    const erasure = await this.erasure();
    const outcome: TakedownOutcome = { erased: 0, imagesDeleted: 0, ledgerIds: [] };
    let after: number | undefined;
    for (;;) {
      const batch = await this.store.cases.faceListing.list(origin, { after, limit: TAKEDOWN_BATCH });
      if (batch.length === 0) break;
      after = batch.at(-1)!.key;
      const done = await erasure.erase({ faceIds: batch.map((f) => f.id), reason: 'operator', actor: identity.actor, client: identity.client },
        async (tx, erased) => erased.length === 0 ? [] : [await this.audit.append(tx, {
          ...identity, action: 'face.takedown', target: origin.pageUrl ?? origin.imageUrl ?? null,
          details: { pageUrl: origin.pageUrl ?? null, imageUrl: origin.imageUrl ?? null, faceIds: erased },
        })]);
      outcome.erased += done.erased.length;
      outcome.imagesDeleted += done.imagesDeleted;
      if (done.ledgerId) outcome.ledgerIds.push(done.ledgerId);
      if (batch.length < TAKEDOWN_BATCH) break;
    }
    return outcome;
  }
}

function checkOrigin(origin: FaceOrigin): void {
  for (const [field, value] of Object.entries(origin)) {
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL)) {
      throw new LikenessError('LIKENESS_BAD_INPUT', `${field} must be text of 1 to ${MAX_URL} characters`);
    }
  }
}

function encodeCursor(key: number): string {
  return Buffer.from(`k${key}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = cursor.length <= 40 ? Buffer.from(cursor, 'base64url').toString('latin1') : '';
  const key = /^k(\d{1,15})$/.exec(text)?.[1];
  if (key === undefined) throw new LikenessError('LIKENESS_BAD_INPUT', 'cursor is not one this API gave out');
  return Number(key);
}
