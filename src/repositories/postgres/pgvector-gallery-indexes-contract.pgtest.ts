import { testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { galleryIndexesContract } from '../../services/ports/gallery-indexes.contract.ts';
import { PgvectorGalleryIndexes } from './pgvector-gallery-indexes.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();

// A database of its own per case: compaction rewrites the whole faces table.
if (url) {
  galleryIndexesContract('PostgreSQL', {
    open: async (dimension, clock) => {
      const store = await PostgresStore.open(await freshDatabase(url), { create: true, dimension });
      return { store, indexes: await PgvectorGalleryIndexes.open(store, clock), reopen: () => PgvectorGalleryIndexes.open(store, clock) };
    },
    // The HNSW index ranks and scores the half-precision cast of the embeddings.
    scoreTolerance: 1e-3,
    compactsCheaply: false,
  });
}
