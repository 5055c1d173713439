import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

  it('names a server without its password', () => {
    assert.equal(describeUrl('postgres://likeness:s3cret@db.example:5433/faces?sslmode=require'), 'postgres://likeness@db.example:5433/faces');
  });
});
