import type { AuditEntry } from '../../domain/accounts.ts';
import type { AccountsRepositories, AccountsStore } from '../../repositories/accounts-store.ts';
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

/**
 * The append-only, hash-chained record of what was done and by whom (docs/architecture.md, "Audit log").
 * Nothing here edits or removes an entry; the database refuses it too.
 */
export class AuditService {
  constructor(private readonly store: AccountsStore, private readonly clock: Clock) {}

  /**
   * Appends an entry and commits it, together with whatever `alongside` writes in the same
   * transaction; resolves only once both are durable.
   */
  async record(event: AuditEvent, alongside?: (tx: AccountsRepositories) => Promise<void>): Promise<AuditEntry> {
    return this.store.atomically(async (tx) => {
      if (alongside) await alongside(tx);
      const entry = chain(await tx.audit.last(), {
        at: this.clock.now().toISOString(),
        actor: event.actor,
        client: event.client,
        action: event.action,
        target: event.target ?? null,
        details: event.details ?? {},
      });
      await tx.audit.append(entry);
      return entry;
    });
  }

  /** Walks the whole chain from the first entry; stops at the first that does not hold. */
  async verify(): Promise<VerifyResult> {
    let previous: AuditEntry | undefined;
    let entries = 0;
    for await (const batch of this.store.audit.stream()) {
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
    return this.store.audit.stream(range);
  }

  list(options: { client?: string; action?: string; limit: number; beforeSeq?: number }): Promise<AuditEntry[]> {
    return this.store.audit.list(options);
  }
}
