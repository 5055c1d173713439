import { readFile } from 'node:fs/promises';
import { LikenessError } from '../../errors.ts';
import type { FileReader } from '../../ports/file-reader.ts';

export const diskFileReader: FileReader = {
  async read(path) {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LikenessError('LIKENESS_FILE_NOT_FOUND', 'The original image is no longer on disk');
      throw error;
    }
  },
};
