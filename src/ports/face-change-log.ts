/** One face entering or leaving a gallery, in the order the store committed it. */
export interface FaceChange {
  seq: number;
  galleryId: string;
  vectorKey: number;
  kind: 'add' | 'remove';
}

/** Where the change log stands: the newest change, and the oldest one still kept. */
export interface ChangeLogPosition {
  /** 0 before the first change. */
  newest: number;
  /** newest + 1 when no change is kept. */
  oldestKept: number;
}

/**
 * The store's record of every face added or deleted, by any process, numbered in commit order
 * and written in the same transaction as the change itself. An embedded index follows it to see
 * what other processes did; only a bounded window of recent changes is kept.
 */
export interface FaceChangeLog {
  position(): Promise<ChangeLogPosition>;
  /** The changes after a sequence number, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<FaceChange[]>;
}
