import { DEFAULT_CUTOVER } from '../../engines/vector-index/adaptive-index.ts';
import type { IndexService } from '../index-service.ts';
import type { CompactionScheduler } from './erasure-service.ts';

/**
 * When erased vectors leave the index files. A gallery still on exact search is rewritten at once:
 * that costs about a save, so the bytes are gone before the erasure call returns. A gallery on
 * HNSW would need a full rebuild per erasure, so its removals wait for the compaction policy
 * (a fraction of the index removed, or the age of the first removal: 24 hours by default), which
 * every mutating command and the server's timer apply.
 */
export function compactAfterErasure(indexes: () => Promise<IndexService>, compactDue: () => Promise<string[]>): CompactionScheduler {
  return {
    schedule: async (galleryIds) => {
      const service = await indexes();
      for (const id of galleryIds) {
        if ((await service.get(id)).size < DEFAULT_CUTOVER) await service.compact(id);
      }
      await compactDue();
    },
  };
}
