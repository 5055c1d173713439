/** What one pass over the store's change log did. */
export interface FollowReport {
  /** Faces made searchable or hidden because another process added or deleted them. */
  applied: number;
  /** Galleries rebuilt from the store because their index had fallen out of the log's window. */
  rebuilt: string[];
  /** False when changes are left for the next pass. */
  caughtUp: boolean;
}

/**
 * Gallery indexes held in this process that must follow what other processes commit to the store
 * (the embedded indexes; PostgreSQL's HNSW index is the faces table itself and needs no following).
 */
export interface StoreFollower {
  follow(): Promise<FollowReport>;
}

export function followsStore(indexes: object): indexes is StoreFollower {
  return typeof (indexes as Partial<StoreFollower>).follow === 'function';
}
