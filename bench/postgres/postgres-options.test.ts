import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expansionSearchGiven, parsePostgresTarget } from './postgres-options.ts';

describe('PostgreSQL bench target', () => {
  it('is absent for the embedded index', () => {
    assert.equal(parsePostgresTarget({}), undefined);
  });

  it('takes one node, shards with the coordinator first, or clusters to start', () => {
    assert.deepEqual(parsePostgresTarget({ store: 'postgres://u:p@h:5432/db' }),
      { url: 'postgres://u:p@h:5432/db', shards: [], startClusters: undefined, suffix: '' });
    assert.deepEqual(parsePostgresTarget({ shards: 'postgres://c/db, postgres://s1/db,postgres://s2/db' }),
      { url: 'postgres://c/db', shards: ['postgres://s1/db', 'postgres://s2/db'], startClusters: undefined, suffix: '-shards2' });
    assert.equal(parsePostgresTarget({ 'start-clusters': '4' })!.suffix, '-shards3');
    assert.equal(parsePostgresTarget({ 'start-clusters': '1' })!.suffix, '');
  });

  it('refuses two targets, a lone coordinator, other cluster counts and non-PostgreSQL URLs', () => {
    assert.throws(() => parsePostgresTarget({ store: 'postgres://a/b', 'start-clusters': '1' }), /one of/);
    assert.throws(() => parsePostgresTarget({ shards: 'postgres://c/db' }), /one URL per shard/);
    assert.throws(() => parsePostgresTarget({ 'start-clusters': '3' }), /1 .* or 4/);
    assert.throws(() => parsePostgresTarget({ store: 'mysql://a/b' }), /not a PostgreSQL URL/);
  });

  it('tells whether --expansion-search was given', () => {
    assert.equal(expansionSearchGiven(['--faces', '10', '--expansion-search', '40,100']), true);
    assert.equal(expansionSearchGiven(['--expansion-search=40']), true);
    assert.equal(expansionSearchGiven(['--faces', '10']), false);
  });
});
