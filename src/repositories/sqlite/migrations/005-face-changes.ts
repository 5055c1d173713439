import { sql, type Kysely } from 'kysely';

/** Changes kept for processes that follow the log; an index further behind is rebuilt from the store. */
export const FACE_CHANGE_WINDOW = 100_000;

// Every face added or deleted, numbered in commit order, so that each process's embedded index can
// follow what other processes did. Triggers write the log in the transaction of the change itself,
// whichever code path (or foreign-key cascade) inserts or deletes the face. Only keys are kept:
// nothing here describes a face.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE face_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    gallery_id TEXT NOT NULL,
    vector_key INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('add', 'remove'))
  )`.execute(db);
  await sql`CREATE TRIGGER faces_log_insert AFTER INSERT ON faces BEGIN
    INSERT INTO face_changes (gallery_id, vector_key, kind) VALUES (NEW.gallery_id, NEW.vector_key, 'add');
  END`.execute(db);
  await sql`CREATE TRIGGER faces_log_delete AFTER DELETE ON faces BEGIN
    INSERT INTO face_changes (gallery_id, vector_key, kind) VALUES (OLD.gallery_id, OLD.vector_key, 'remove');
  END`.execute(db);
  // The window slides with each change: one row leaves as one arrives, so the log stays bounded
  // without any process having to prune it.
  await sql.raw(`CREATE TRIGGER face_changes_window AFTER INSERT ON face_changes BEGIN
    DELETE FROM face_changes WHERE seq <= NEW.seq - ${FACE_CHANGE_WINDOW};
  END`).execute(db);
}
