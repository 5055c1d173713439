import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { withStatementCache } from './statement-cache.ts';

function numbers(count: number) {
  const raw = new BetterSqlite3(':memory:');
  raw.exec('CREATE TABLE n (v INTEGER)');
  const insert = raw.prepare('INSERT INTO n (v) VALUES (?)');
  for (let v = 1; v <= count; v++) insert.run(v);
  return raw;
}

describe('withStatementCache', () => {
  it('runs a query again while a stream of the same query is still open, each reading every row', () => {
    const db = withStatementCache(numbers(5));
    const sql = 'SELECT v FROM n ORDER BY v';
    const streamed: unknown[] = [];
    for (const row of db.prepare(sql).iterate([])) {
      streamed.push(row);
      if (streamed.length === 2) assert.deepEqual(db.prepare(sql).all([]), [1, 2, 3, 4, 5].map((v) => ({ v })));
    }
    assert.equal(streamed.length, 5);
    db.close();
  });

  it('answers each query with its own parameters, past the number of statements it keeps', () => {
    const db = withStatementCache(numbers(20), 4);
    for (let round = 0; round < 2; round++) {
      for (let v = 1; v <= 20; v++) {
        // A different text for each value, so the cache turns over.
        assert.deepEqual(db.prepare(`SELECT v FROM n WHERE v = ? AND ${v} = ${v}`).all([v]), [{ v }]);
        assert.deepEqual(db.prepare('SELECT count(*) AS c FROM n WHERE v <= ?').all([v]), [{ c: v }]);
      }
    }
    assert.equal(db.prepare('INSERT INTO n (v) VALUES (?)').run([21]).changes, 1);
    assert.deepEqual(db.prepare('SELECT count(*) AS c FROM n WHERE v <= ?').all([100]), [{ c: 21 }]);
    db.close();
  });
});
