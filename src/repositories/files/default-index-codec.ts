import { AdaptiveIndex, type AdaptiveIndexOptions } from '../../engines/vector-index/adaptive-index.ts';
import { DEFAULT_INDEX_PROFILE } from '../../engines/vector-index/index-profile.ts';
import type { IndexProfile } from '../../ports/vector-index.ts';
import type { VectorIndexCodec } from './file-vector-index-store.ts';

function settings({ quantisation, connectivity, expansionAdd, expansionSearch, cutover }: IndexProfile): Omit<AdaptiveIndexOptions, 'dimension'> {
  return { cutover, hnsw: { quantisation, connectivity, expansionAdd, expansionSearch } };
}

/** Exact search for small galleries, HNSW past the measured cut-over, switched automatically. */
export const defaultIndexCodec: VectorIndexCodec = {
  create: (dimension, profile = DEFAULT_INDEX_PROFILE) => new AdaptiveIndex({ dimension, ...settings(profile) }),
  // A saved file states its own dimension and quantisation.
  load: (path, profile = DEFAULT_INDEX_PROFILE) => AdaptiveIndex.load(path, settings(profile)),
  view: (path, profile = DEFAULT_INDEX_PROFILE) => AdaptiveIndex.load(path, settings(profile), 'view'),
};
