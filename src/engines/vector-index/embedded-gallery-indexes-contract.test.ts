import { join } from 'node:path';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { AdaptiveIndex } from './adaptive-index.ts';
import { ExactIndex } from './exact-index.ts';
import { DEFAULT_INDEX_PROFILE, IndexProfiles } from './index-profile.ts';
import { USEARCH_DEFAULTS, UsearchIndex } from './usearch-index.ts';
import { defaultIndexCodec } from '../../repositories/files/default-index-codec.ts';
import { FileVectorIndexStore, type VectorIndexCodec } from '../../repositories/files/file-vector-index-store.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import { galleryIndexesContract } from '../../ports/gallery-indexes.contract.ts';
import { IndexService, type IndexServiceOptions } from './embedded-gallery-indexes.ts';

// The embedded indexes: a SQLite file and one index file per gallery beside it, in a temp dir.
function embedded(codec: VectorIndexCodec, options: IndexServiceOptions = {}, reopenAs: IndexServiceOptions['open'] = 'load') {
  return async (dimension: number, clock: { now(): Date }) => {
    const dir = tempDir();
    const store = await SqliteStore.open(join(dir, 'likeness.db'), { create: true });
    const indexes = (open: IndexServiceOptions['open']) =>
      new IndexService(store, new FileVectorIndexStore(join(dir, 'index'), codec), clock, { dimension, modelId: 'm' }, { ...options, open });
    return { store, indexes: indexes('load'), reopen: async () => indexes(reopenAs) };
  };
}

const exactCodec: VectorIndexCodec = { create: (dimension) => new ExactIndex({ dimension }), load: (path) => ExactIndex.load(path) };
// The production index on its HNSW graph (i8) from the first face, rather than after a background
// switch at the cut-over: the search always answers from the graph. Its saved files are read by
// the production codec, as they would be once a gallery has crossed the cut-over.
const hnswCodec: VectorIndexCodec = {
  create: (dimension) => new AdaptiveIndex({ dimension, cutover: 0 }, new UsearchIndex({ dimension, ...USEARCH_DEFAULTS })),
  load: defaultIndexCodec.load,
  view: defaultIndexCodec.view,
};
const pastTheCutover = { profiles: new IndexProfiles({ ...DEFAULT_INDEX_PROFILE, cutover: 0 }) };
// i8 cosines at 32 dimensions sit up to about 0.015 from the exact ones.
const I8_TOLERANCE = 0.02;

galleryIndexesContract('Embedded, exact', { open: embedded(exactCodec), scoreTolerance: 1e-5, compactsCheaply: true });
galleryIndexesContract('Embedded, production codec below its cut-over', { open: embedded(defaultIndexCodec), scoreTolerance: 1e-5, compactsCheaply: true });
galleryIndexesContract('Embedded, HNSW', { open: embedded(hnswCodec, pastTheCutover), scoreTolerance: I8_TOLERANCE, compactsCheaply: false });
galleryIndexesContract('Embedded, HNSW reopened memory-mapped', {
  open: embedded(hnswCodec, pastTheCutover, 'view'), scoreTolerance: I8_TOLERANCE, compactsCheaply: false,
});
