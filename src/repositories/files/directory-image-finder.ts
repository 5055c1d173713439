import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { LikenessError } from '../../errors.ts';
import type { ImageFile, ImageFileFinder } from '../../ports/image-files.ts';

// Formats sharp decodes; anything else in the folder is not offered for ingestion.
export const IMAGE_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif', '.bmp',
]);

export function readImageFile(path: string): ImageFile {
  return {
    path,
    read: async () => {
      try {
        return await readFile(path);
      } catch (error) {
        throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
      }
    },
  };
}

/** Walks a folder recursively, in a stable order, so reruns visit files alike. */
export const directoryImageFinder: ImageFileFinder = {
  async list(root: string): Promise<ImageFile[]> {
    const base = resolve(root);
    let entries;
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (error) {
      throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `${root}: no such folder`, { cause: error });
    }
    return entries
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => join(e.parentPath, e.name))
      .sort()
      .map(readImageFile);
  },
};
