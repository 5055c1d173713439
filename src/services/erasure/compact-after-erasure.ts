import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';
import type { CompactionScheduler } from './erasure-service.ts';

/**
 * When erased vectors leave the disk. A gallery whose compaction costs about a save (an embedded
 * index still on exact search) is compacted at once, so the bytes are gone before the erasure
 * call returns. Others (an embedded HNSW index, which a compaction rebuilds; PostgreSQL, where it
 * rewrites the faces table) wait for the compaction policy (a fraction of the gallery removed, or
 * the age of the first removal: 24 hours by default), which every mutating command and the
 * server's timer apply.
 */
export function compactAfterErasure(indexes: () => Promise<GalleryIndexes>, compactDue: () => Promise<string[]>): CompactionScheduler {
  return {
    schedule: async (galleryIds) => {
      const service = await indexes();
      for (const id of galleryIds) {
        if (await service.compactsCheaply(id)) await service.compact(id);
      }
      await compactDue();
    },
  };
}
