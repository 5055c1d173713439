import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import type { Box } from '../../domain/types.ts';
import { isLikenessError } from '../../errors.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { SearchAdmission } from '../searches/search-admission.ts';

export interface DetectedBox {
  /** The index a search takes as `faceIndex`: 0 is the largest face. */
  faceIndex: number;
  box: Box;
  detectionScore: number;
}

export interface Detection {
  width: number;
  height: number;
  faces: DetectedBox[];
}

/**
 * Finds the faces of an image so an investigator can choose which one to search with. Nothing
 * is searched and nothing is kept: the audit entry holds the image's SHA-256 and the face count.
 * It runs the face engine on a probe like a search does, so it is admitted like one
 * (docs/architecture.md, "Accountable searches"): a searching role of a client granted a
 * gallery, within the rate limits and quotas (counted apart from searches), refusals audited.
 */
export class DetectionService {
  constructor(private readonly engine: () => Promise<FaceEngine>, private readonly audit: AuditService, private readonly admission: SearchAdmission) {}

  async detect(who: Principal, bytes: Uint8Array): Promise<Detection> {
    const probeSha256 = createHash('sha256').update(bytes).digest('hex');
    const identity = { actor: who.user.id, client: who.client.id };
    try {
      const admitted = await this.admission.admit(who, 'detect', { caseNumber: '', purpose: '', probeSha256 });
      const analysed = await (await this.engine()).analyse(bytes);
      const faces = analysed.faces.map((f, faceIndex) => ({ faceIndex, box: f.box, detectionScore: f.detectionScore }));
      await this.audit.record({ ...identity, action: 'detect', target: admitted.id, details: { probeSha256, faces: faces.length } });
      return { width: analysed.width, height: analysed.height, faces };
    } catch (error) {
      const code = isLikenessError(error) ? error.code : 'LIKENESS_INTERNAL';
      const ruleId = isLikenessError(error) ? error.details?.ruleId : undefined;
      await this.audit.record({ ...identity, action: 'detect.refused', target: null, details: { probeSha256, code, ...(ruleId === undefined ? {} : { ruleId }) } });
      throw error;
    }
  }
}
