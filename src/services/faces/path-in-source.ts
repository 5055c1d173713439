import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Source } from '../../domain/types.ts';

/**
 * An image's path as answers show it: relative to its source's declared folder, so no answer
 * tells a client how the server's disk is laid out. The stored path stays absolute; this is
 * only what leaves the server. A path outside the folder (which ingestion does not let in)
 * shows its file name only.
 */
export function pathInSource(path: string | null, source: Pick<Source, 'kind' | 'uri'>): string | null {
  if (path === null || !isAbsolute(path)) return path;
  if (source.kind === 'directory') {
    const inside = relative(resolve(source.uri), resolve(path));
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split(sep).join('/');
  }
  return basename(path);
}
