import type { FaceEngine } from '../../src/ports/face-engine.ts';
import type { Store } from '../../src/ports/store.ts';
import type { GalleryIndexes } from '../../src/ports/gallery-indexes.ts';

export type StageTimes = Record<'lookup' | 'analyse' | 'store' | 'index', number>;

/**
 * Wraps the seams ingestion goes through with timers, in place, for a benchmark run.
 * 'analyse' is decode, detect, align and embed inside the engine's workers.
 */
export function timeSeams(store: Store, engine: FaceEngine, indexes: GalleryIndexes): StageTimes {
  const times: StageTimes = { lookup: 0, analyse: 0, store: 0, index: 0 };
  const wrap = <T extends object, K extends keyof T>(target: T, key: K, stage: keyof StageTimes) => {
    const original = (target[key] as (...args: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<K, unknown>)[key] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } finally {
        times[stage] += performance.now() - started;
      }
    };
  };
  wrap(engine, 'analyse', 'analyse');
  // Images commit inside store-wide transactions, several at a time: the transaction is the seam.
  wrap(store, 'transaction', 'store');
  wrap(store.images, 'findBySha256', 'lookup');
  // Where the store's rows are the index (PostgreSQL) the store's commit is the index write.
  if (indexes.detached) wrap(indexes.detached, 'add', 'index');
  return times;
}
