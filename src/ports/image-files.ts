/** A file offered for ingestion: where it is and a way to read it. */
export interface ImageFile {
  path: string;
  read(): Promise<Uint8Array>;
  /** Where a collected image was fetched from, and the page that showed it; stored instead of the path. */
  url?: string;
  pageUrl?: string | null;
}

/** Where ingestion finds the images of a directory source. */
export interface ImageFileFinder {
  list(root: string): Promise<ImageFile[]>;
}
