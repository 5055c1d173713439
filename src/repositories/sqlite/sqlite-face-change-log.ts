import type { Kysely } from 'kysely';
import type { ChangeLogPosition, FaceChange, FaceChangeLog } from '../../ports/face-change-log.ts';
import type { Database } from '../kysely/schema.ts';

interface FaceChangesTable { seq: number; gallery_id: string; vector_key: number; kind: 'add' | 'remove' }
// A type, not an interface: withTables() takes only types with an implicit index signature.
type ChangesDatabase = { face_changes: FaceChangesTable };

/** The face_changes table that triggers on faces fill (migration 005). */
export class SqliteFaceChangeLog implements FaceChangeLog {
  private readonly db: Kysely<Database & ChangesDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<ChangesDatabase>();
  }

  async position(): Promise<ChangeLogPosition> {
    // min and max of the rowid are two seeks in its B-tree: cheap enough to ask on every tick.
    const row = await this.db.selectFrom('face_changes')
      .select((eb) => [eb.fn.min('seq').as('oldest'), eb.fn.max('seq').as('newest')])
      .executeTakeFirst();
    if (row?.newest == null || row.oldest == null) {
      const newest = await this.lastIssued();
      return { newest, oldestKept: newest + 1 };
    }
    return { newest: Number(row.newest), oldestKept: Number(row.oldest) };
  }

  async after(seq: number, limit: number): Promise<FaceChange[]> {
    const rows = await this.db.selectFrom('face_changes').select(['seq', 'gallery_id', 'vector_key', 'kind'])
      .where('seq', '>', seq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: r.seq, galleryId: r.gallery_id, vectorKey: r.vector_key, kind: r.kind }));
  }

  /** With no row kept, the last number AUTOINCREMENT gave out (0 if none). */
  private async lastIssued(): Promise<number> {
    const db = this.db.withTables<{ sqlite_sequence: { name: string; seq: number } }>();
    const row = await db.selectFrom('sqlite_sequence').select('seq').where('name', '=', 'face_changes').executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }
}
