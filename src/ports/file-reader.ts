/** Reads a file the store points at (an ingested image of a directory source). */
export interface FileReader {
  read(path: string): Promise<Uint8Array>;
}
