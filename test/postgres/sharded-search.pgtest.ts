// Faces spread over shards with partitioning + postgres_fdw answer top-k searches as one node does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { setShardSearchSettings } from '../../src/repositories/postgres/sharding/shard-servers.ts';
import { clusteredVectors, vectorLiteral } from './clustered-vectors.ts';
import { testPostgresShards, testPostgresUrl } from './env.ts';
import { faceRow, insertFaces } from './faces-schema.ts';
import { SEARCH_SQL, exactTopK, freshNodes, openClient, planOf, topK } from './sharding-helpers.ts';

const nodes = testPostgresShards();
const K = 10;
const FACES = 3000;

describe('faces sharded over postgres_fdw', { skip: nodes.length >= 4 ? false : 'needs LIKENESS_TEST_POSTGRES_SHARDS with a coordinator and 3 shards' }, () => {
  const data = clusteredVectors({ faces: FACES, perIdentity: 6, probes: 40 });
  const probes = data.probes.map(vectorLiteral);
  let coordinator: pg.Client;
  let single: pg.Client;
  let servers: string[];
  const clients: pg.Client[] = [];

  after(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  });

  before(async () => {
    const [coordinatorDb, ...shardDbs] = await freshNodes(nodes);
    const [singleDb] = await freshNodes([testPostgresUrl()!]);
    // Each shard holds about 1,000 faces: an ef_search of 1,000 makes its HNSW search exhaustive,
    // so both layouts must find exactly the exact top-k.
    ({ servers } = await shardFaces(coordinatorDb!, shardDbs, { efSearch: 1000, fetchSize: K }));
    coordinator = await openClient(coordinatorDb!);
    single = await openClient(singleDb!);
    clients.push(coordinator, single);

    const rows = data.faces.map((v, i) => faceRow(i + 1, vectorLiteral(v)));
    await insertFaces(coordinator, rows);
    await insertFaces(single, rows);
    await single.query('SET hnsw.ef_search = 1000');
    // As autovacuum would: a shard's planner without statistics may sort the shard instead of
    // walking its index. The coordinator's ANALYZE samples the shards for its own estimates.
    for (const shard of shardDbs) {
      const client = await openClient(shard);
      await client.query('ANALYZE faces');
      await client.end();
    }
    await coordinator.query('ANALYZE faces');
    await single.query('ANALYZE faces');
  });

  it('spreads the faces over every shard', async () => {
    const { rows } = await coordinator.query<{ shard: string; faces: number }>(
      'SELECT tableoid::regclass::text AS shard, count(*)::int AS faces FROM faces GROUP BY 1 ORDER BY 1');
    assert.deepEqual(rows.map((r) => r.shard), servers);
    assert.equal(rows.reduce((n, r) => n + r.faces, 0), FACES);
    for (const r of rows) assert.ok(r.faces > FACES / 3 * 0.8, `${r.shard} holds ${r.faces} faces`);
  });

  it('returns the same top-k candidates as one node holding the same faces, and the exact ones', async () => {
    for (const probe of probes) {
      const truth = await exactTopK(single, probe, K);
      const oneNode = await topK(single, probe, K);
      const sharded = await topK(coordinator, probe, K);
      assert.deepEqual(sharded.map((c) => c.id), oneNode.map((c) => c.id));
      assert.deepEqual(sharded.map((c) => c.id), truth.map((c) => c.id));
      assert.deepEqual(sharded.map((c) => c.distance), truth.map((c) => c.distance));
    }
  });

  it('sends ORDER BY distance to every shard and merges their ordered streams', async () => {
    const plan = await planOf(coordinator, SEARCH_SQL, [probes[0], K]);
    // Limit -> Merge Append -> one Foreign Scan per shard whose remote SQL orders by <=>: each
    // shard walks its own HNSW index; PostgreSQL 15 does not push the LIMIT through a partitioned
    // table, so the coordinator reads each shard's cursor fetch_size rows at a time and stops at k.
    assert.match(plan, /Limit[\s\S]*Merge Append/);
    const remote = plan.split('\n').filter((line) => line.includes('Remote SQL'));
    assert.equal(remote.length, servers.length);
    for (const line of remote) assert.match(line, /ORDER BY \(embedding::public\.halfvec\(512\) OPERATOR\(public\.<=>\)/);
  });

  it('bounds each shard by the ef_search of its foreign server, not by the coordinator session', async () => {
    // Without iterative scans an HNSW index scan yields at most ef_search rows: ask for more than
    // that and count what comes back from the three shards.
    const returned = async () => (await coordinator.query(SEARCH_SQL, [probes[1], 1000])).rowCount ?? 0;
    // Small ef values: on shards of 1,000 faces a large one makes sorting the shard cheaper than
    // walking its index, and the shard's planner rightly sorts (at any real size it walks the index).
    await setShardSearchSettings(coordinator, servers, { efSearch: 20, fetchSize: K });
    const at20 = await returned();
    assert.ok(at20 <= 3 * 20 && at20 > 3 * 15, `3 shards at ef_search 20 return ${at20} rows`);

    await coordinator.query('SET hnsw.ef_search = 400');
    assert.equal(await returned(), at20, 'a SET on the coordinator does not reach the shards');
    await coordinator.query('RESET hnsw.ef_search');

    await setShardSearchSettings(coordinator, servers, { efSearch: 40, fetchSize: K });
    const at40 = await returned();
    assert.ok(at40 <= 3 * 40 && at40 > 3 * 30, `3 shards at ef_search 40 return ${at40} rows`);
    await setShardSearchSettings(coordinator, servers, { efSearch: 1000, fetchSize: K });
  });
});
