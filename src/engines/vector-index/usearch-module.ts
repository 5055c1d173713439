import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';

let loaded: typeof Usearch | undefined;

/**
 * The usearch library, loaded when the first index is built, opened or searched exhaustively:
 * most commands of the CLI touch no index, and loading the native library cost each of them
 * about as much as the rest of their start.
 */
export function usearch(): typeof Usearch {
  return (loaded ??= createRequire(import.meta.url)('usearch') as typeof Usearch);
}
