/**
 * The files of directory sources, kept inside their declared folders (docs/architecture.md,
 * "Paths"): nothing is read whose real path leaves the folder, or that is not a regular file.
 */
export interface ConfinedFiles {
  /** The folder's real path (symbolic links resolved); refuses one that is missing or not a folder. */
  resolveFolder(path: string): Promise<string>;
  /**
   * The bytes of a regular file whose real path lies inside `root`, read no further than
   * `maxBytes`: LIKENESS_PATH_REFUSED for a path that leaves it or a file that is not regular
   * (a device, a FIFO), LIKENESS_IMAGE_TOO_LARGE past the limit, LIKENESS_FILE_NOT_FOUND when gone.
   */
  read(root: string, path: string, maxBytes: number): Promise<Uint8Array>;
}
