import type { Store } from '../../ports/store.ts';
import type { ErasureService } from '../erasure/erasure-service.ts';
import type { Clock } from '../../ports/clock.ts';

export interface SweepResult {
  erased: number;
  batches: number;
  /** Records of sign-in sessions deleted, a day after their absolute end. */
  sessionsDeleted: number;
}

const DAY_MS = 86_400_000;
const BATCH = 1_000;
/**
 * A session's record outlives its absolute end by this long. Until then a browser may still send
 * its cookie (Max-Age is the session's life; clocks differ), and a known ended session is refused
 * without counting as a failed sign-in; after it the record says only when someone was signed in.
 */
const SESSION_RECORD_GRACE_MS = DAY_MS;

/**
 * docs/architecture.md, "Retention": a face past its `expiresAt`, or older than the retention cap whatever its
 * source said, is erased exactly as an erasure request would erase it. Sign-in sessions that ended
 * are deleted too: they serve no one once no browser can present them.
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
    // First, so that faces an erasure cannot clear (an index down) do not keep old sessions too.
    const sessionsDeleted = await this.store.accounts.sessions.deleteEndedBefore(new Date(now.getTime() - SESSION_RECORD_GRACE_MS).toISOString());
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
    return { erased, batches, sessionsDeleted };
  }
}
