import type { AuditEntry } from '../../domain/accounts.ts';
import type { Store, StoreRepositories } from '../../repositories/store.ts';
import type { Clock } from '../ports/clock.ts';
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

/** Told of each entry once it is committed, e.g. to anchor the chain's head outside the store. */
export interface AuditCommitListener {
  committed(entry: AuditEntry): void;
}

/**
 * The append-only, hash-chained record of what was done and by whom (docs/architecture.md,
 * "Audit log"). Nothing here edits or removes an entry; the database refuses it too.
 */
export class AuditService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly listener?: AuditCommitListener,
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
    this.listener?.committed(entry);
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
    for (const entry of entries) this.listener?.committed(entry);
  }

  /** Walks the whole chain from the first entry; stops at the first that does not hold. */
  async verify(): Promise<VerifyResult> {
    let previous: AuditEntry | undefined;
    let entries = 0;
    for await (const batch of this.store.accounts.audit.stream()) {
      for (const entry of batch) {
        const broken = checkLink(previous, entry);
        if (broken) return { intact: false, entries, firstBroken: broken };
        previous = entry;
        entries++;
      }
    }
    return { intact: true, entries, lastHash: previous?.hash ?? null };
  }

  /** Entries with `at` in [from, to), in order, for export. */
  entries(range: { from?: string; to?: string } = {}): AsyncIterable<AuditEntry[]> {
    return this.store.accounts.audit.stream(range);
  }

  list(options: { client?: string; action?: string; limit: number; beforeSeq?: number }): Promise<AuditEntry[]> {
    return this.store.accounts.audit.list(options);
  }
}
