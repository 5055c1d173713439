import type { StoredEmbedding } from '../../ports/store.ts';

/**
 * Pages through embeddings in key order, each page starting after the last key of the one before:
 * no OFFSET to rescan, and faces added or deleted meanwhile never shift a page.
 */
export async function* keysetPages(afterKey: number, page: (after: number) => Promise<StoredEmbedding[]>): AsyncIterable<StoredEmbedding[]> {
  let after = afterKey;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.vectorKey;
    yield rows;
  }
}
