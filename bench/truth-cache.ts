import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFileAtomically } from '../src/engines/vector-index/atomic-file.ts';
import type { VectorMatch } from '../src/ports/vector-index.ts';

/** What the exact top-k depends on: the same values give the same truth. */
export interface TruthKey {
  faces: number;
  dimension: number;
  seed: number;
  effectiveDimension: number;
  queries: number;
  k: number;
}

export interface CachedTruth {
  key: TruthKey;
  matches: VectorMatch[][];
  /** Exact search time over the whole gallery, summed over the chunks it was streamed in. */
  searchSeconds: number;
  searchCpuSeconds: number;
  measuredAt: string;
}

/** The file beside an index file that holds the exact top-k of its queries. */
export function truthPathFor(indexPath: string, key: TruthKey): string {
  return `${indexPath}.truth-q${key.queries}-k${key.k}.json`;
}

/**
 * The cached truth, if the file exists and was computed for the same gallery and queries;
 * a file for other settings is an error rather than silently recomputed over.
 */
export function readTruth(path: string, key: TruthKey): CachedTruth | undefined {
  if (!existsSync(path)) return undefined;
  const cached = JSON.parse(readFileSync(path, 'utf8')) as CachedTruth;
  const differs = (Object.keys(key) as (keyof TruthKey)[]).filter((name) => cached.key?.[name] !== key[name]);
  if (differs.length > 0) throw new Error(`${path} holds the truth of other settings (${differs.join(', ')}); remove it or use another index file`);
  if (cached.matches.length !== key.queries) throw new Error(`${path} holds ${cached.matches.length} queries' truth, not ${key.queries}`);
  return cached;
}

export function writeTruth(path: string, truth: CachedTruth): void {
  writeFileAtomically(path, (temp) => writeFileSync(temp, JSON.stringify(truth)));
}
