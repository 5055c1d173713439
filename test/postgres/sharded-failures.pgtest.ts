// Faces sharded over postgres_fdw: a delete is seen at once everywhere, and a shard that cannot be
// reached fails the search with a stable code instead of answering from the others.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { PG_BIN, startClusters, type Clusters } from '../../scripts/postgres/clusters.ts';
import { freePort } from '../../scripts/postgres/free-port.ts';
import { isLikenessError } from '../../src/errors.ts';
import { throughShards } from '../../src/repositories/postgres/sharding/shard-errors.ts';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { clusteredVectors, vectorLiteral } from './clustered-vectors.ts';
import { testPostgresShards } from './env.ts';
import { createFacesTable, faceRow, insertFaces } from './faces-schema.ts';
import { freshDatabase } from './fresh-database.ts';
import { freshNodes, openClient, topK } from './sharding-helpers.ts';

const nodes = testPostgresShards();
const FACES = 300;
const data = clusteredVectors({ faces: FACES, perIdentity: 5, probes: 5, seed: 7 });
const rows = data.faces.map((v, i) => faceRow(i + 1, vectorLiteral(v)));

function assertShardUnavailable(error: unknown, server: string): true {
  assert.ok(isLikenessError(error, 'LIKENESS_SHARD_UNAVAILABLE'), `got ${String(error)}`);
  assert.equal(error.status, 503);
  assert.equal(error.details?.server, server);
  return true;
}

describe('faces sharded over postgres_fdw, writes and failures', { skip: nodes.length >= 4 ? false : 'needs LIKENESS_TEST_POSTGRES_SHARDS with a coordinator and 3 shards' }, () => {
  const clients: pg.Client[] = [];
  let shardDbs: string[];
  let servers: string[];
  let coordinator: pg.Client;
  let other: pg.Client;

  after(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  });

  before(async () => {
    const [coordinatorDb, ...shards] = await freshNodes(nodes);
    shardDbs = shards;
    ({ servers } = await shardFaces(coordinatorDb!, shardDbs, { fetchSize: 10 }));
    coordinator = await openClient(coordinatorDb!);
    other = await openClient(coordinatorDb!);
    clients.push(coordinator, other);
    await insertFaces(coordinator, rows);
  });

  it('makes a face deleted through the coordinator invisible at once, through it and on its shard', async () => {
    const victim = 'face-42';
    const embedding = vectorLiteral(data.faces[41]!);
    const { rows: [placed] } = await coordinator.query<{ server: string }>(
      'SELECT tableoid::regclass::text AS server FROM faces WHERE id = $1', [victim]);
    const shard = await openClient(shardDbs[servers.indexOf(placed!.server)]!);
    clients.push(shard);
    assert.equal((await topK(other, embedding, 1))[0]?.id, victim, 'the face is its own nearest neighbour');

    await coordinator.query('BEGIN');
    await coordinator.query('DELETE FROM faces WHERE id = $1', [victim]);
    // Not committed: nobody else sees the delete yet, and a rollback would keep the face.
    assert.equal((await other.query('SELECT 1 FROM faces WHERE id = $1', [victim])).rowCount, 1);
    await coordinator.query('COMMIT');

    assert.equal((await other.query('SELECT 1 FROM faces WHERE id = $1', [victim])).rowCount, 0, 'coordinator, by id');
    assert.ok(!(await topK(other, embedding, 10)).some((c) => c.id === victim), 'coordinator, top-k search');
    assert.equal((await shard.query('SELECT 1 FROM faces WHERE id = $1', [victim])).rowCount, 0, 'straight on the shard');
    assert.ok(!(await topK(shard, embedding, 10)).some((c) => c.id === victim), 'top-k straight on the shard');
    assert.equal((await other.query('SELECT count(*)::int AS n FROM faces')).rows[0].n, FACES - 1);
  });

  it('fails a search with LIKENESS_SHARD_UNAVAILABLE when a shard refuses connections, and recovers', async () => {
    const probe = vectorLiteral(data.probes[0]!);
    const server = servers[1]!;
    const { rows: [{ port }] } = await coordinator.query(
      "SELECT split_part(opt, '=', 2) AS port FROM pg_foreign_server, unnest(srvoptions) opt WHERE srvname = $1 AND opt LIKE 'port=%'", [server]);
    // A port nothing listens on: what the coordinator meets when the shard's server is down.
    await coordinator.query(`ALTER SERVER ${server} OPTIONS (SET port '${await freePort()}')`);
    try {
      await assert.rejects(throughShards(() => topK(other, probe, 10)), (e) => assertShardUnavailable(e, server));
      await assert.rejects(throughShards(() => other.query('SELECT count(*) FROM faces')), (e) => assertShardUnavailable(e, server));
    } finally {
      await coordinator.query(`ALTER SERVER ${server} OPTIONS (SET port '${port}')`);
    }
    assert.equal((await throughShards(() => topK(other, probe, 10))).length, 10);
  });

  const canRunClusters = process.getuid?.() === 0 && existsSync(join(PG_BIN, 'pg_ctl'));
  describe('when a shard server stops', { skip: canRunClusters ? false : 'starting a cluster of its own needs root and PostgreSQL 15' }, () => {
    let extra: Clusters | undefined;
    after(async () => extra?.stop());

    it('fails searches, counts and deletes with LIKENESS_SHARD_UNAVAILABLE, never a partial answer', async () => {
      // A layout of its own whose second shard is a cluster this test may stop for real.
      extra = await startClusters({ nodes: 1 });
      const coordinatorDb = await freshDatabase(nodes[0]!);
      const shardDbs = [await freshDatabase(nodes[1]!), extra.nodes[0]!.url];
      for (const db of [coordinatorDb, ...shardDbs]) await createFacesTable(db);
      const { servers } = await shardFaces(coordinatorDb, shardDbs);
      const client = await openClient(coordinatorDb);
      clients.push(client);
      await insertFaces(client, rows);
      const probe = vectorLiteral(data.probes[1]!);
      assert.equal((await throughShards(() => topK(client, probe, 10))).length, 10);

      await extra.stop();
      const down = servers[1]!;
      await assert.rejects(throughShards(() => topK(client, probe, 10)), (e) => assertShardUnavailable(e, down));
      await assert.rejects(throughShards(() => client.query('SELECT count(*) FROM faces')), (e) => assertShardUnavailable(e, down));
      await assert.rejects(throughShards(() => client.query("DELETE FROM faces WHERE id = 'face-1'")), (e) => assertShardUnavailable(e, down));
    });
  });
});
