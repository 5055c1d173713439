import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLikenessError } from '../../../errors.ts';
import { noAnswerFromShard, shardUnavailable, throughShards } from './shard-errors.ts';

// The shapes node-postgres gives to errors the coordinator raises on behalf of postgres_fdw.
const refused = Object.assign(new Error('could not connect to server "faces_shard_2"'), {
  code: '08001',
  detail: 'connection to server at "10.0.0.3", port 5432 failed: Connection refused',
});
const timedOut = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
const broken = Object.assign(new Error('could not receive data from server: server closed the connection unexpectedly'), { code: '08006' });

describe('shard errors', () => {
  it('names the shard that could not be reached, with a stable code and HTTP 503', () => {
    const error = shardUnavailable(refused);
    assert.ok(isLikenessError(error, 'LIKENESS_SHARD_UNAVAILABLE'));
    assert.equal(error.status, 503);
    assert.deepEqual(error.details, { server: 'faces_shard_2', sqlstate: '08001', reason: refused.detail });
    assert.match(error.message, /faces_shard_2/);
  });

  it('maps a connection that broke during a query, even without a server name', () => {
    assert.ok(isLikenessError(shardUnavailable(broken), 'LIKENESS_SHARD_UNAVAILABLE'));
  });

  it('leaves other errors alone: SQL errors, and the client failing to reach the coordinator', async () => {
    assert.equal(shardUnavailable(Object.assign(new Error('syntax error'), { code: '42601' })), undefined);
    assert.equal(shardUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), undefined);
    const other = new Error('something else');
    await assert.rejects(throughShards(() => Promise.reject(other)), (e) => e === other);
    await assert.rejects(throughShards(() => Promise.reject(refused)), (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE'));
  });

  it('maps a statement cancelled by the time limit of a sharded search, and only where one was set', async () => {
    await assert.rejects(throughShards(() => Promise.reject(timedOut), 250),
      (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE') && e.status === 503 && e.details?.timeoutMs === 250);
    await assert.rejects(throughShards(() => Promise.reject(timedOut)), (e) => e === timedOut);
  });

  it('counts a shard asked on its own as not answering when unreachable, cancelled or shutting down, not on a SQL error', () => {
    assert.deepEqual([refused, broken, timedOut, Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })]
      .map(noAnswerFromShard), [true, true, true, true]);
    assert.equal(noAnswerFromShard(shardUnavailable(refused)), true, 'already typed by the store\'s pool');
    assert.deepEqual([Object.assign(new Error('syntax error'), { code: '42601' }), new Error('no code'), 'text'].map(noAnswerFromShard), [false, false, false]);
  });
});
