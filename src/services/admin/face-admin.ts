import type { Actor } from '../../domain/accounts.ts';
import { auditIdentity } from '../../domain/accounts.ts';
import type { FaceRecord } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { Authoriser } from '../authorisation/authoriser.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import type { FaceService } from '../face-service.ts';

/** Single faces as an operator sees and deletes them over the API; a deletion is audited. */
export class FaceAdmin {
  constructor(
    private readonly faces: () => Promise<FaceService>,
    private readonly erasure: () => Promise<ErasureService>,
    private readonly audit: AuditService,
    private readonly authoriser: Authoriser,
  ) {}

  async get(who: Actor, id: string): Promise<FaceRecord> {
    const face = await (await this.faces()).get(id);
    await this.authoriser.require(who, 'face.read', { galleryId: face.galleryId });
    return face;
  }

  /**
   * An operator's deletion is an erasure like any other: gone from search before this resolves,
   * in the erasure ledger so a restored backup cannot bring it back, then on record.
   */
  async delete(who: Actor, id: string): Promise<void> {
    const face = await (await this.faces()).get(id);
    await this.authoriser.require(who, 'face.delete', { galleryId: face.galleryId });
    const identity = auditIdentity(who);
    const { erased } = await (await this.erasure()).erase({ faceIds: [id], reason: 'operator', actor: identity.actor, client: identity.client });
    if (erased.length === 0) throw new LikenessError('LIKENESS_NOT_FOUND', `No face ${id}`);
    await this.audit.record({ ...identity, action: 'face.delete', target: id });
  }
}
