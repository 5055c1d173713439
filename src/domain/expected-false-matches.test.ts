import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedFalseMatches, expectedStrangersInWords } from './expected-false-matches.ts';

describe('expected false matches', () => {
  it('is the faces searched times the rate per comparison', () => {
    assert.equal(expectedFalseMatches(1_000_000, 1e-6), 1);
    assert.equal(expectedFalseMatches(0, 0.5), 0);
  });

  it('reads as a number of strangers', () => {
    assert.equal(expectedStrangersInWords(0.0213), 'about 0.02 strangers expected at this score in this search');
    assert.equal(expectedStrangersInWords(0.15), 'about 0.15 strangers expected at this score in this search');
    assert.equal(expectedStrangersInWords(1.04), 'about 1 stranger expected at this score in this search');
    assert.equal(expectedStrangersInWords(98.6), 'about 99 strangers expected at this score in this search');
    assert.equal(expectedStrangersInWords(0.00002), 'fewer than 0.001 strangers expected at this score in this search');
  });
});
