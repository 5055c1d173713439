import { constants } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { LikenessError } from '../../errors.ts';
import type { ConfinedFiles } from '../../ports/confined-files.ts';

/** Whether `path` is `root` or lies under it; both absolute and free of `..`. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function refused(path: string, reason: 'outside' | 'not-a-file', root: string): LikenessError {
  const why = reason === 'outside' ? `its real path leaves the source's folder ${root}` : 'it is not a regular file';
  return new LikenessError('LIKENESS_PATH_REFUSED', `${path}: refused, ${why}`, { details: { reason } });
}

function missing(path: string, error: unknown): LikenessError {
  return new LikenessError('LIKENESS_FILE_NOT_FOUND', `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
}

/** The real path of what `path` names now, or LIKENESS_FILE_NOT_FOUND. */
export async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    throw missing(path, error);
  }
}

/**
 * Opens a regular file without following a link at its last step and without waiting on a FIFO,
 * then reads at most `maxBytes` (a file that grows while read is still cut off there).
 */
async function readRegular(path: string, shown: string, maxBytes: number, check: (handle: FileHandle) => Promise<void>): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    // ELOOP: a link was put in its place after it was resolved.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LikenessError('LIKENESS_PATH_REFUSED', `${shown}: refused, it became a link`, { details: { reason: 'outside' } });
    throw missing(shown, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new LikenessError('LIKENESS_PATH_REFUSED', `${shown}: refused, it is not a regular file`, { details: { reason: 'not-a-file' } });
    await check(handle);
    if (info.size > maxBytes) throw tooLarge(shown, maxBytes);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge(shown, maxBytes);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, maxBytes: number): LikenessError {
  return new LikenessError('LIKENESS_IMAGE_TOO_LARGE', `${path}: larger than ${maxBytes} bytes`);
}

/** A regular file anywhere (a probe the local operator names), read no further than `maxBytes`. */
export async function readBoundedFile(path: string, maxBytes: number): Promise<Buffer> {
  return readRegular(await realPathOf(path), path, maxBytes, async () => {});
}

export const confinedFiles: ConfinedFiles = {
  async resolveFolder(path) {
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      throw new LikenessError('LIKENESS_SOURCE_INVALID', `The folder ${path} does not exist (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    if (!(await stat(real)).isDirectory()) throw new LikenessError('LIKENESS_SOURCE_INVALID', `${path} is not a folder`);
    return real;
  },

  async read(root, path, maxBytes) {
    // The declared folder as stored (resolved when it was declared), not as it resolves now:
    // a folder later replaced by a link elsewhere keeps nothing inside.
    const scope = resolve(root);
    const real = await realPathOf(path);
    if (!isInside(scope, real)) throw refused(path, 'outside', scope);
    return readRegular(real, path, maxBytes, async (handle) => {
      // Between the resolution and the open, a folder on the way may have been swapped for a
      // link: where the open file really is, the kernel tells (Linux; elsewhere the check above stands).
      const opened = await realpath(`/proc/self/fd/${handle.fd}`).catch(() => real);
      if (!isInside(scope, opened)) throw refused(path, 'outside', scope);
    });
  },
};
