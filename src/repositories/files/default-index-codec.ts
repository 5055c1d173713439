import { AdaptiveIndex } from '../../engines/vector-index/adaptive-index.ts';
import type { VectorIndexCodec } from './file-vector-index-store.ts';

/** Exact search for small galleries, HNSW past the measured cut-over, switched automatically. */
export const defaultIndexCodec: VectorIndexCodec = {
  create: (dimension) => new AdaptiveIndex({ dimension }),
  load: (path) => AdaptiveIndex.load(path),
  view: (path) => AdaptiveIndex.load(path, {}, 'view'),
};
