import type { Store } from '../../ports/store.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import type { Clock } from '../../ports/clock.ts';

export interface SweepResult {
  erased: number;
  batches: number;
}

const DAY_MS = 86_400_000;
const BATCH = 1_000;

/**
 * docs/architecture.md, "Retention": a face past its `expiresAt`, or older than the retention cap whatever its
 * source said, is erased exactly as an erasure request would erase it.
 */
export class RetentionService {
  constructor(
    private readonly store: Store,
    private readonly erasure: ErasureService,
    private readonly clock: Clock,
    private readonly maxDays: number,
  ) {}

  async sweep(actor: string): Promise<SweepResult> {
    const now = this.clock.now();
    const capStart = new Date(now.getTime() - this.maxDays * DAY_MS).toISOString();
    let erased = 0;
    let batches = 0;
    for (;;) {
      const ids = await this.store.rights.expiredFaceIds(now.toISOString(), capStart, BATCH);
      if (ids.length === 0) break;
      const outcome = await this.erasure.erase({ faceIds: ids, reason: 'retention', actor });
      batches++;
      erased += outcome.erased.length;
      // Faces that could not be erased would come back every round.
      if (outcome.erased.length === 0) break;
    }
    return { erased, batches };
  }
}
