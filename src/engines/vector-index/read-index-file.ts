import { closeSync, openSync } from 'node:fs';
import { LikenessError } from '../../errors.ts';

/** Opens a saved index file for a look at its bytes, always closing it; a missing file is a typed error. */
export function readIndexFile<T>(path: string, read: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `No index file at ${path}`, { cause });
  }
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}
