import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';
import type { Quantisation } from '../../ports/vector-index.ts';

let loaded: typeof Usearch | undefined;

/**
 * The usearch library, loaded when the first index is built, opened or searched exhaustively:
 * most commands of the CLI touch no index, and loading the native library cost each of them
 * about as much as the rest of their start.
 */
export function usearch(): typeof Usearch {
  return (loaded ??= createRequire(import.meta.url)('usearch') as typeof Usearch);
}

/** usearch's name for a quantisation. */
export function scalarKindOf(quantisation: Quantisation): Usearch.ScalarKind {
  const { ScalarKind } = usearch();
  return { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 }[quantisation];
}
