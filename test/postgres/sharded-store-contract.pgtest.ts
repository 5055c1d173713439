// docs/scaling.md, "Sharding": the store's contract, the same one SQLite and one PostgreSQL node
// pass, run on a coordinator whose faces live on shards, so the face repository answers alike.
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { storeContract } from '../../src/repositories/store.contract.ts';
import { testPostgresShards } from './env.ts';
import { freshDatabase } from './fresh-database.ts';

const nodes = testPostgresShards();

if (nodes.length >= 3) {
  storeContract('PostgreSQL, faces on 2 shards', async () => {
    const [coordinator, ...shards] = await Promise.all(nodes.slice(0, 3).map((node) => freshDatabase(node)));
    for (const db of [coordinator!, ...shards]) await (await PostgresStore.open(db, { create: true, dimension: 8 })).close();
    await shardFaces(coordinator!, shards);
    return PostgresStore.open(coordinator!);
  });
}
