/** What the collectors hand to ingestion: the bytes and where they were found. */
export interface CollectedImage {
  imageUrl: string;
  /** The page the image was found on (site), or the one the list names (url-list). */
  pageUrl: string | null;
  bytes: Uint8Array;
  contentType: string | undefined;
}

export interface CollectionSummary {
  pages: number;
  images: number;
  requests: number;
  bytes: number;
  skipped: Record<string, number>;
  stoppedBy: 'done' | 'page-budget' | 'byte-budget' | 'image-budget';
}
