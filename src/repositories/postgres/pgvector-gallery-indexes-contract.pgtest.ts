import { POSTGRES_ADMIN_URL_ENV, testPostgresUrl } from '../../../test/postgres/env.ts';
import { freshDatabase } from '../../../test/postgres/fresh-database.ts';
import { allowPhysicalErasure } from '../../../test/postgres/physical-erasure-setup.ts';
import { galleryIndexesContract } from '../../ports/gallery-indexes.contract.ts';
import { PgvectorGalleryIndexes } from './pgvector-gallery-indexes.ts';
import { PostgresStore } from './postgres-store.ts';

const url = testPostgresUrl();
const adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];

// A database of its own per case, set up as docs/scaling.md asks for physical erasure, which
// compaction runs over the whole faces table.
if (url) {
  galleryIndexesContract('PostgreSQL', {
    open: async (dimension, clock) => {
      const database = await freshDatabase(url);
      await allowPhysicalErasure(adminUrl!, database);
      const store = await PostgresStore.open(database, { create: true, dimension });
      return { store, indexes: await PgvectorGalleryIndexes.open(store, clock), reopen: () => PgvectorGalleryIndexes.open(store, clock) };
    },
    // The HNSW index ranks and scores the half-precision cast of the embeddings.
    scoreTolerance: 1e-3,
    compactsCheaply: false,
  });
}
