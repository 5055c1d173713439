import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/accounts.ts';
import type { Box } from '../../domain/types.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import type { AuditService } from '../audit/audit-service.ts';

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
 */
export class DetectionService {
  constructor(private readonly engine: () => Promise<FaceEngine>, private readonly audit: AuditService) {}

  async detect(who: Principal, bytes: Uint8Array): Promise<Detection> {
    const probeSha256 = createHash('sha256').update(bytes).digest('hex');
    const analysed = await (await this.engine()).analyse(bytes);
    const faces = analysed.faces.map((f, faceIndex) => ({ faceIndex, box: f.box, detectionScore: f.detectionScore }));
    await this.audit.record({ actor: who.user.id, client: who.client.id, action: 'detect', target: null, details: { probeSha256, faces: faces.length } });
    return { width: analysed.width, height: analysed.height, faces };
  }
}
