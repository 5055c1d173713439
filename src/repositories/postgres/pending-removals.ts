import { sql } from 'kysely';
import type { PostgresKysely } from './schema.ts';

export interface PendingRemovals {
  galleryId: string;
  count: number;
  firstAt: string;
}

/**
 * Faces deleted per gallery since the last physical erasure, kept in the database so that every
 * process (and the next start) applies the compaction policy to the same figures: the PostgreSQL
 * counterpart of the pending removals an embedded index keeps in its manifest.
 */
export class PendingRemovalsTable {
  constructor(private readonly db: PostgresKysely) {}

  async record(galleryId: string, count: number, at: string): Promise<void> {
    if (count === 0) return;
    await sql`INSERT INTO pending_removals (gallery_id, count, first_at) VALUES (${galleryId}, ${count}, ${at})
      ON CONFLICT (gallery_id) DO UPDATE SET count = pending_removals.count + EXCLUDED.count`.execute(this.db);
  }

  async list(): Promise<PendingRemovals[]> {
    const { rows } = await sql<{ gallery_id: string; count: string | number; first_at: string }>`
      SELECT gallery_id, count, first_at FROM pending_removals`.execute(this.db);
    return rows.map((r) => ({ galleryId: r.gallery_id, count: Number(r.count), firstAt: r.first_at }));
  }

  /**
   * Forgets the removals an erasure pass covered. Removals recorded while it ran stay pending
   * (under the earlier first date, so they come due no later than they would have).
   */
  async settle(covered: readonly PendingRemovals[]): Promise<void> {
    for (const p of covered) {
      await sql`UPDATE pending_removals SET count = count - ${p.count} WHERE gallery_id = ${p.galleryId}`.execute(this.db);
    }
    await sql`DELETE FROM pending_removals WHERE count <= 0`.execute(this.db);
  }
}
