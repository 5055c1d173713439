import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PostgresPoolClient } from 'kysely';
import { isLikenessError } from '../../errors.ts';
import { describeUrl, typedConnectErrors } from './connection-pool.ts';

const failing = (error: unknown) => ({ connect: () => Promise.reject(error), end: () => Promise.resolve() });
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('PostgreSQL connection pool', () => {
  it('turns a connection that cannot be opened into a stable error on every query', async () => {
    const pool = typedConnectErrors(failing(refused), 'postgres://likeness@db:5432/likeness');
    for (let i = 0; i < 2; i++) {
      await assert.rejects(pool.connect(), (e) => isLikenessError(e, 'LIKENESS_STORE_UNAVAILABLE') && e.status === 503 && /db:5432/.test(e.message));
    }
    const badPassword = Object.assign(new Error('password authentication failed for user "likeness"'), { code: '28P01' });
    await assert.rejects(typedConnectErrors(failing(badPassword), 'x').connect(), (e) => isLikenessError(e, 'LIKENESS_STORE_UNAVAILABLE'));
    const noDatabase = Object.assign(new Error('database "likeness" does not exist'), { code: '3D000' });
    await assert.rejects(typedConnectErrors(failing(noDatabase), 'x').connect(), (e) => isLikenessError(e, 'LIKENESS_NOT_INITIALISED'));
  });

  it('leaves other errors as they are', async () => {
    const bug = new TypeError('not a pool');
    await assert.rejects(typedConnectErrors(failing(bug), 'x').connect(), (e) => e === bug);
  });

  it('turns a statement that meets an unreachable shard into LIKENESS_SHARD_UNAVAILABLE naming it, on plain queries and cursors', async () => {
    const fromShard = Object.assign(new Error('could not connect to server "faces_shard_1"'), { code: '08001', detail: 'connection refused' });
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    let released = 0;
    const client: PostgresPoolClient = {
      query: ((sqlOrCursor: unknown) => typeof sqlOrCursor === 'string'
        ? Promise.reject(sqlOrCursor === 'SELEC' ? syntax : fromShard)
        : { read: () => Promise.reject(fromShard), close: () => Promise.resolve() }) as PostgresPoolClient['query'],
      release: () => { released++; },
    };
    const pool = typedConnectErrors({ connect: () => Promise.resolve(client), end: () => Promise.resolve() }, 'x');
    const connection = await pool.connect();
    await assert.rejects(connection.query('SELECT embedding FROM faces WHERE id = $1', ['f1']),
      (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE') && e.status === 503 && e.details?.server === 'faces_shard_1');
    await assert.rejects(connection.query('SELEC', []), (e) => e === syntax);
    const protocol = Object.assign(new Error('invalid message format'), { code: '08P01' });
    const own = typedConnectErrors({ connect: () => Promise.resolve({ ...client, query: (() => Promise.reject(protocol)) as unknown as PostgresPoolClient['query'] }), end: () => Promise.resolve() }, 'x');
    await assert.rejects((await own.connect()).query('SELECT 1', []), (e) => e === protocol, 'the server\'s own class 08 names no shard');
    const cursor = connection.query({ read: () => Promise.resolve([]), close: () => Promise.resolve() });
    await assert.rejects(cursor.read(10), (e) => isLikenessError(e, 'LIKENESS_SHARD_UNAVAILABLE'));
    connection.release();
    assert.equal(released, 1);
  });

  it('names a server without its password', () => {
    assert.equal(describeUrl('postgres://likeness:s3cret@db.example:5433/faces?sslmode=require'), 'postgres://likeness@db.example:5433/faces');
  });
});
