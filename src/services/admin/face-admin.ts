import type { Principal } from '../../domain/accounts.ts';
import type { FaceRecord } from '../../domain/types.ts';
import { LikenessError } from '../../errors.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import type { FaceService } from '../face-service.ts';

/** Single faces as an operator sees and deletes them over the API; a deletion is audited. */
export class FaceAdmin {
  constructor(
    private readonly faces: () => Promise<FaceService>,
    private readonly erasure: () => Promise<ErasureService>,
    private readonly audit: AuditService,
  ) {}

  async get(id: string): Promise<FaceRecord> {
    return (await this.faces()).get(id);
  }

  /**
   * An operator's deletion is an erasure like any other: gone from search before this resolves,
   * in the erasure ledger so a restored backup cannot bring it back, then on record.
   */
  async delete(who: Principal, id: string): Promise<void> {
    const { erased } = await (await this.erasure()).erase({ faceIds: [id], reason: 'operator', actor: who.user.id, client: who.client.id });
    if (erased.length === 0) throw new LikenessError('LIKENESS_NOT_FOUND', `No face ${id}`);
    await this.audit.record({ actor: who.user.id, client: who.client.id, action: 'face.delete', target: id });
  }
}
