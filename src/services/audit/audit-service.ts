import type { AuditEntry } from '../../domain/accounts.ts';
import type { Store, StoreRepositories } from '../../ports/store.ts';
import type { AuditAnchor } from '../../ports/audit-anchor.ts';
import type { Clock } from '../../ports/clock.ts';
import type { AuditListQuery } from '../../ports/accounts-store.ts';
import { chain, checkLink, type ChainBreak } from './audit-chain.ts';

export interface AuditEvent {
  actor: string;
  client: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

export type VerifyResult =
  | { intact: true; entries: number; lastHash: string | null }
  | { intact: false; entries: number; firstBroken: ChainBreak };

/**
 * The append-only, hash-chained record of what was done and by whom (docs/architecture.md,
 * "Audit log"). Nothing here edits or removes an entry; the database refuses it too.
 */
export class AuditService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Where committed heads are vouched for outside the store; none in tests that do not need it. */
    private readonly anchor?: AuditAnchor,
  ) {}

  /**
   * Appends an entry and commits it, together with whatever `alongside` writes in the same
   * transaction; resolves only once both are durable.
   */
  async record(event: AuditEvent, alongside?: (tx: StoreRepositories) => Promise<void>): Promise<AuditEntry> {
    const entry = await this.store.transaction(async (tx) => {
      if (alongside) await alongside(tx);
      return this.append(tx, event);
    });
    this.anchor?.committed(entry);
    return entry;
  }

  /**
   * Appends an entry inside the caller's transaction: it commits with the caller's writes or not
   * at all. The caller hands the returned entry to `committed` once its transaction has committed.
   */
  async append(tx: StoreRepositories, event: AuditEvent): Promise<AuditEntry> {
    const entry = chain(await tx.accounts.audit.last(), {
      at: this.clock.now().toISOString(),
      actor: event.actor,
      client: event.client,
      action: event.action,
      target: event.target ?? null,
      details: event.details ?? {},
    });
    await tx.accounts.audit.append(entry);
    return entry;
  }

  /** To be called with the entries a caller's own transaction appended, after it committed. */
  committed(entries: readonly AuditEntry[]): void {
    for (const entry of entries) this.anchor?.committed(entry);
  }

  /**
   * Walks the whole chain from the first entry and holds it against the anchor: stops at the
   * first entry that does not hold, or that the anchor vouched for and the store no longer has
   * as it was (a rewritten chain, or a tail cut off).
   */
  async verify(): Promise<VerifyResult> {
    const anchored = (await this.anchor?.links()) ?? new Map<number, string>();
    let previous: AuditEntry | undefined;
    let entries = 0;
    for await (const batch of this.store.accounts.audit.stream()) {
      for (const entry of batch) {
        const broken = checkLink(previous, entry) ?? checkAnchor(anchored, entry);
        if (broken) return { intact: false, entries, firstBroken: broken };
        previous = entry;
        entries++;
      }
    }
    const lastSeq = previous?.seq ?? 0;
    const beyond = [...anchored.keys()].filter((seq) => seq > lastSeq);
    if (beyond.length > 0) {
      return {
        intact: false, entries,
        firstBroken: { seq: lastSeq + 1, reason: `the anchor vouches for entries up to ${Math.max(...beyond)}, the store ends at ${lastSeq}: its tail was cut off or rolled back` },
      };
    }
    return { intact: true, entries, lastHash: previous?.hash ?? null };
  }

  /** The chain's last entry, to be copied somewhere the store's operator cannot reach. */
  head(): Promise<AuditEntry | undefined> {
    return this.store.accounts.audit.last();
  }

  /** Entries with `at` in [from, to), in order, for export. */
  entries(range: { from?: string; to?: string } = {}): AsyncIterable<AuditEntry[]> {
    return this.store.accounts.audit.stream(range);
  }

  list(options: AuditListQuery): Promise<AuditEntry[]> {
    return this.store.accounts.audit.list(options);
  }
}

function checkAnchor(anchored: Map<number, string>, entry: AuditEntry): ChainBreak | undefined {
  const hash = anchored.get(entry.seq);
  if (hash === undefined || hash === entry.hash) return undefined;
  return { seq: entry.seq, reason: 'its hash differs from the one the anchor recorded when it was committed: the chain was rewritten from here' };
}
