import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Index } from 'usearch';
import type { Quantisation } from '../../ports/vector-index.ts';
import { scalarKindOf, usearch } from './usearch-module.ts';

const emptyFiles = new Map<string, string>();
let folder: string | undefined;

/**
 * Frees a native index now: its memory, or its mapping of a viewed file. usearch's Node binding
 * has no call for it and frees the object only when the collector takes it, so a replaced index
 * file stayed mapped (and, once deleted, on disk) beside its successor for as long as that took;
 * a 10M-face view counted twice in the process's memory (docs/scaling.md, "10M faces, measured").
 * Viewing an empty index resets the native one first. One empty file per dimension and
 * quantisation, written once per process in a private temporary folder; when that cannot be
 * written, the collector still frees the index later.
 */
export function releaseNow(native: Index, dimension: number, quantisation: Quantisation): void {
  try {
    native.view(emptyIndexFile(dimension, quantisation));
  } catch {
    // Nothing lost: the object is dropped all the same.
  }
}

function emptyIndexFile(dimension: number, quantisation: Quantisation): string {
  const key = `${dimension}-${quantisation}`;
  const known = emptyFiles.get(key);
  if (known) return known;
  const { Index, MetricKind } = usearch();
  folder ??= mkdtempSync(join(tmpdir(), 'likeness-usearch-'));
  const path = join(folder, `empty-${key}.usearch`);
  // The graph settings of an empty index are never used: viewing it only resets the one that views it.
  new Index({
    dimensions: dimension, metric: MetricKind.Cos, quantization: scalarKindOf(quantisation),
    connectivity: 16, expansion_add: 16, expansion_search: 16, multi: false,
  }).save(path);
  emptyFiles.set(key, path);
  return path;
}
