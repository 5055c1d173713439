/** A file offered for ingestion: where it is and a way to read it. */
export interface ImageFile {
  path: string;
  read(): Promise<Uint8Array>;
}

/** Where ingestion finds the images of a directory source. */
export interface ImageFileFinder {
  list(root: string): Promise<ImageFile[]>;
}
