import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { LikenessError } from '../../errors.ts';
import type { ImageFile, ImageFileFinder } from '../../ports/image-files.ts';
import { confinedFiles, isInside, readBoundedFile, realPathOf } from './confined-files.ts';

// Formats sharp decodes; anything else in the folder is not offered for ingestion.
export const IMAGE_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif', '.bmp',
]);

/** The configuration's default for limits.maxImageBytes: the most any one image file is read. */
export const DEFAULT_MAX_IMAGE_BYTES = 25 * 1024 * 1024;

/** A probe the local operator names on the command line: a regular file, read up to the limit. */
export function readImageFile(path: string, maxBytes = DEFAULT_MAX_IMAGE_BYTES): ImageFile {
  return { path, read: () => readBoundedFile(path, maxBytes) };
}

/**
 * The images of a directory source: a folder inside its declared folder `root`, walked
 * recursively in a stable order so reruns visit files alike. A folder whose real path leaves
 * `root` is refused whole; each file is read only if its real path is still inside `root` and it
 * is a regular file, up to `maxBytes` (docs/architecture.md, "Paths").
 */
export function confinedImageFinder(root: string, maxBytes = DEFAULT_MAX_IMAGE_BYTES): ImageFileFinder {
  return {
    async list(folder: string): Promise<ImageFile[]> {
      // The declared folder as stored (resolved when it was declared), not as it resolves now.
      const scope = resolve(root);
      const base = await realPathOf(folder);
      if (!isInside(scope, base)) {
        throw new LikenessError('LIKENESS_PATH_REFUSED', `${folder}: refused, its real path ${base} leaves the source's folder ${scope}`, { details: { reason: 'outside' } });
      }
      let entries;
      try {
        entries = await readdir(base, { recursive: true, withFileTypes: true });
      } catch (error) {
        throw new LikenessError('LIKENESS_FILE_NOT_FOUND', `${folder}: not a folder that can be read`, { cause: error });
      }
      // Links are offered too, so that one pointing outside shows up as refused rather than vanish.
      return entries
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
        .map((e) => join(e.parentPath, e.name))
        .sort()
        .map((path) => ({ path, read: () => confinedFiles.read(scope, path, maxBytes) }));
    },
  };
}

/** The images of a folder, kept inside that folder. */
export const directoryImageFinder: ImageFileFinder = {
  async list(folder: string): Promise<ImageFile[]> {
    const real = await realPathOf(folder);
    return confinedImageFinder(real).list(real);
  },
};
