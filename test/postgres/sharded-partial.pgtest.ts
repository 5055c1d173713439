// A shard that does not answer (docs/scaling.md, "A shard that does not answer"): under the default
// policy the search fails with LIKENESS_SHARD_UNAVAILABLE; where the policy allows partial results
// it answers from the other shards, names the missing one, counts only the faces it compared, and
// its audit entry says so. The production wiring (buildLikeness) over a real coordinator and three
// real shards, one of which is a cluster of its own that the test stops.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { PG_BIN, startClusters, type Clusters } from '../../scripts/postgres/clusters.ts';
import { localOperator } from '../../src/cli/operator.ts';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { isLikenessError } from '../../src/errors.ts';
import { buildApp } from '../../src/http/app.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { applySearchSettings, nearestOnShardQuery } from '../../src/repositories/postgres/pgvector-face-search.ts';
import { PostgresStore } from '../../src/repositories/postgres/postgres-store.ts';
import { shardFaces } from '../../src/repositories/postgres/sharding/shard-faces.ts';
import { defaultPolicy } from '../../src/services/policy/policy.ts';
import { FAKE_DIMENSION, FakeFaceEngine, fakeEmbedding, fakeImage } from '../helpers/fake-face-engine.ts';
import { multipart } from '../helpers/multipart.ts';
import { testPostgresShards } from './env.ts';
import { freshDatabase } from './fresh-database.ts';
import { openClient } from './sharding-helpers.ts';
import { face, image, source } from './store-fixtures.ts';

const nodes = testPostgresShards();
const FACES = 30;
// Long enough for a shard that answers on a busy machine; the test waits it out once per search
// that meets the blocked shard.
const SHARD_TIMEOUT_MS = 4000;
const canRunClusters = process.getuid?.() === 0 && existsSync(join(PG_BIN, 'pg_ctl'));
const justification = { caseNumber: 'C-19', purpose: 'a shard down' };

describe('a search when a shard does not answer', {
  skip: nodes.length < 3 ? 'needs LIKENESS_TEST_POSTGRES_SHARDS with a coordinator and 2 shards'
    : canRunClusters ? false : 'stopping a shard cluster of its own needs root and PostgreSQL 15',
}, () => {
  let extra: Clusters | undefined;
  const dirs: string[] = [];
  const clients: pg.Client[] = [];
  let strict: Likeness;
  let partial: Likeness;
  let app: FastifyInstance;
  let investigator: { authorization: string };
  let coordinatorDb: string;
  let shardDbs: string[];
  /** Which shard each face is on, and how many faces each shard holds. */
  const shardOf = new Map<number, string>();
  const facesOn = new Map<string, number>();

  const seedOn = (shard: string): number => [...shardOf].find(([, s]) => s === shard)![0];
  const facesBut = (missing: string): number => [...facesOn].reduce((sum, [shard, n]) => sum + (shard === missing ? 0 : n), 0);

  async function likenessWith(coordinatorDb: string, partialResults: boolean): Promise<Likeness> {
    const dir = mkdtempSync(join(tmpdir(), 'likeness-partial-'));
    dirs.push(dir);
    const base = loadConfig({ dataDir: dir, env: {}, store: coordinatorDb });
    const policy = defaultPolicy();
    policy.clients.controller = 'police';
    policy.searches.partialResults = partialResults;
    const engine = new FakeFaceEngine();
    // Read-only: these servers are not set up for physical erasure, and the test erases nothing.
    return buildLikeness({ ...base, search: { ...base.search, threshold: 0.4, shardTimeoutMs: SHARD_TIMEOUT_MS } }, {
      readOnly: true,
      overrides: { policy, engine: async () => engine, fmrTable: PLACEHOLDER_FMR_TABLE, gates: () => [] },
    });
  }

  before(async () => {
    extra = await startClusters({ nodes: 1 });
    coordinatorDb = await freshDatabase(nodes[0]!);
    shardDbs = [await freshDatabase(nodes[1]!), extra.nodes[0]!.url, await freshDatabase(nodes[2]!)];
    for (const db of [coordinatorDb, ...shardDbs]) await (await PostgresStore.open(db, { create: true, dimension: FAKE_DIMENSION })).close();
    await shardFaces(coordinatorDb, shardDbs);

    strict = await likenessWith(coordinatorDb, false);
    partial = await likenessWith(coordinatorDb, true);
    const store = strict.store;
    await store.galleries.create({ id: 'g1', name: 'default', createdAt: 'now' });
    await store.sources.create(source);
    for (let seed = 1; seed <= FACES; seed++) {
      await store.images.insertWithFaces(image(`i${seed}`), [{ ...face(`f${seed}`, `i${seed}`, seed, FAKE_DIMENSION), embedding: fakeEmbedding(seed) }]);
    }
    const coordinator = await openClient(coordinatorDb);
    clients.push(coordinator);
    const { rows } = await coordinator.query<{ id: string; shard: string }>('SELECT id, tableoid::regclass::text AS shard FROM faces');
    for (const { id, shard } of rows) {
      shardOf.set(Number(id.slice(1)), shard);
      facesOn.set(shard, (facesOn.get(shard) ?? 0) + 1);
    }
    assert.deepEqual([...facesOn.keys()].sort(), ['faces_shard_0', 'faces_shard_1', 'faces_shard_2'], 'faces on every shard');

    await partial.accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'test');
    await partial.accounts.grantGallery('police', 'default', 'test');
    investigator = { authorization: `Bearer ${(await partial.accounts.addUser({ name: 'ivan', client: 'police', roles: ['investigator'] }, 'test')).key}` };
    app = await buildApp(partial, { limits: { maxImageBytes: 64 * 1024, maxFiles: 5 }, logger: false });
  });

  after(async () => {
    await app?.close();
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await strict?.close();
    await partial?.close();
    await extra?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('searches every shard while all answer, under either policy', async () => {
    for (const likeness of [strict, partial]) {
      const result = await likeness.searches.search(localOperator(), fakeImage(seedOn('faces_shard_1')), justification);
      assert.equal(result.searchedFaces, FACES);
      assert.equal(result.partial, undefined);
      assert.deepEqual(result.candidates.map((c) => c.faceId), [`f${seedOn('faces_shard_1')}`]);
    }
    // A shard asked on its own walks its own index in distance order, though the coordinator has no
    // statistics of its shards (nothing has run ANALYZE on it): the coordinator reads k rows of
    // that stream and stops, instead of being sent every face of the gallery to sort.
    const store = await PostgresStore.open(coordinatorDb);
    try {
      const plan = await store.db.transaction().execute(async (trx) => {
        await applySearchSettings(trx, 40, { sortOnShard: true });
        const query = nearestOnShardQuery(FAKE_DIMENSION, ['g1'], fakeEmbedding(1), 5, 'faces_shard_0').compile(trx);
        const { rows } = await trx.executeQuery<Record<string, string>>({ ...query, sql: `EXPLAIN (VERBOSE) ${query.sql}` });
        return rows.map((r) => r['QUERY PLAN']!).join('\n');
      });
      assert.match(plan, /Remote SQL: .*ORDER BY \(embedding::public\.halfvec\(64\) OPERATOR\(public\.<=>\)/);
    } finally {
      await store.close();
    }
  });

  it('a shard that does not answer in time: the default policy fails the search, the partial one answers without it', async () => {
    // The shard holds its faces locked: it accepts the coordinator's queries and never answers them.
    const blocker = await openClient(shardDbs[2]!);
    clients.push(blocker);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE faces IN ACCESS EXCLUSIVE MODE');
    try {
      await assert.rejects(strict.searches.search(localOperator(), fakeImage(seedOn('faces_shard_0')), justification),
        (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE') && e.status === 503);

      const onBlocked = seedOn('faces_shard_2');
      const onLive = seedOn('faces_shard_0');
      const group = await partial.searches.searchEveryFace(localOperator(), fakeImage(onBlocked, onLive), justification);
      assert.deepEqual(group.missingShards, ['faces_shard_2']);
      assert.deepEqual(group.probes.map((p) => [p.partial, p.missingShards, p.candidates.map((c) => c.faceId)]), [
        [true, ['faces_shard_2'], []],
        [true, ['faces_shard_2'], [`f${onLive}`]],
      ]);
      assert.equal(group.searchedFaces, facesBut('faces_shard_2'));
      const entries = await partial.audit.list({ action: 'search', limit: 2 });
      for (const entry of entries) {
        assert.equal(entry.details.partial, true);
        assert.deepEqual(entry.details.missingShards, ['faces_shard_2']);
        assert.equal(entry.details.searchedFaces, facesBut('faces_shard_2'));
      }
    } finally {
      await blocker.query('ROLLBACK');
    }
  });

  it('a shard whose server is down: the default policy fails naming it; the partial answer over HTTP names it, counts only the faces compared, and is audited so', async () => {
    await extra!.stop();
    const down = 'faces_shard_1';

    await assert.rejects(strict.searches.search(localOperator(), fakeImage(seedOn('faces_shard_0')), justification),
      (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE') && e.details?.server === down);
    const [refused] = await strict.audit.list({ action: 'search.refused', limit: 1 });
    assert.equal(refused!.details.code, 'LIKENESS_SHARD_UNAVAILABLE');

    const onDown = seedOn(down);
    const { payload, headers } = multipart([
      { name: 'image', filename: 'probe.png', contentType: 'image/png', data: fakeImage(onDown) },
      { name: 'caseNumber', value: justification.caseNumber }, { name: 'purpose', value: justification.purpose },
    ]);
    const res = await app.inject({ method: 'POST', url: '/v1/search', payload, headers: { ...headers, ...investigator } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.partial, true);
    assert.deepEqual(body.missingShards, [down]);
    assert.equal(body.searchedFaces, facesBut(down));
    assert.deepEqual(body.candidates, [], 'the face on the stopped shard is not found, and nothing stands in for it');
    const [entry] = await partial.audit.list({ action: 'search', limit: 1 });
    assert.equal(entry!.target, body.searchId);
    assert.deepEqual([entry!.details.partial, entry!.details.missingShards, entry!.details.searchedFaces], [true, [down], facesBut(down)]);

    const onLive = seedOn('faces_shard_2');
    const found = await partial.searches.search(localOperator(), fakeImage(onLive), justification);
    assert.deepEqual([found.partial, found.missingShards], [true, [down]]);
    assert.deepEqual(found.candidates.map((c) => c.faceId), [`f${onLive}`]);
    assert.equal(found.candidates[0]!.expectedFalseMatches, facesBut(down) * found.candidates[0]!.falseMatchRate);

    // A pivot reads its face by id, which the coordinator cannot place on one shard: with a shard
    // down it fails with the stable error naming that shard, under either policy and wherever the
    // face is; over HTTP a 503 with its code (it was a bare PostgreSQL error, 500).
    for (const likeness of [strict, partial]) {
      for (const faceId of [`f${onDown}`, `f${onLive}`]) {
        await assert.rejects(likeness.searches.search(localOperator(), { faceId }, justification),
          (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE') && e.details?.server === down);
      }
    }
    const pivotForm = multipart([{ name: 'faceId', value: `f${onDown}` },
      { name: 'caseNumber', value: justification.caseNumber }, { name: 'purpose', value: justification.purpose }]);
    const pivot = await app.inject({ method: 'POST', url: '/v1/search', payload: pivotForm.payload, headers: { ...pivotForm.headers, ...investigator } });
    assert.equal(pivot.statusCode, 503, pivot.body);
    assert.equal(pivot.json().code, 'LIKENESS_SHARD_UNAVAILABLE');
  });
});
