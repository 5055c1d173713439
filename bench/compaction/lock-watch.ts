// Which relations of the store's database are held under an ACCESS EXCLUSIVE lock, and for how
// long: pg_locks polled on a connection of its own. A lock shorter than the polling interval may
// be missed; one of 1 s (the target, docs/scaling.md) is seen to within that interval.
import type pg from 'pg';

export interface LockSpan { relation: string; ms: number }

export interface LockWatch {
  /** Stops polling; every span seen, longest first. */
  stop(): Promise<LockSpan[]>;
}

export function watchExclusiveLocks(client: pg.Client, intervalMs = 5): LockWatch {
  const open = new Map<string, number>();
  const spans: LockSpan[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ relation: string }>(
        `SELECT DISTINCT relation::regclass::text AS relation FROM pg_locks
          WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      const now = performance.now();
      const held = new Set(rows.map((r) => r.relation));
      for (const relation of held) if (!open.has(relation)) open.set(relation, now);
      for (const [relation, since] of open) {
        if (!held.has(relation)) {
          spans.push({ relation, ms: now - since });
          open.delete(relation);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const now = performance.now();
      for (const [relation, since] of open) spans.push({ relation, ms: now - since });
      return spans.sort((a, b) => b.ms - a.ms);
    },
  };
}
