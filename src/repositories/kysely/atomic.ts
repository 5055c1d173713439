import type { Kysely } from 'kysely';

/**
 * Runs `work` in a transaction of its own, or as part of the one `db` already belongs to: a
 * repository method that must be atomic (an image with its faces, a face with its embedding)
 * stays atomic alone and joins the caller's unit of work inside `Store.transaction`.
 */
export function atomic<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
