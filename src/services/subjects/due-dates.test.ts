import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strictThreshold } from '../scores/strict-threshold.ts';
import { addMonths } from '../../domain/subject-deadlines.ts';

describe('due dates', () => {
  it('adds calendar months, holding to the last day of a shorter month', () => {
    assert.equal(addMonths('2025-01-15T10:00:00.000Z', 1), '2025-02-15T10:00:00.000Z');
    assert.equal(addMonths('2025-01-31T10:00:00.000Z', 1), '2025-02-28T10:00:00.000Z');
    assert.equal(addMonths('2024-01-31T10:00:00.000Z', 1), '2024-02-29T10:00:00.000Z');
    assert.equal(addMonths('2025-11-30T00:00:00.000Z', 3), '2026-02-28T00:00:00.000Z');
  });
});

describe('strict threshold', () => {
  const table = { source: 't', points: [{ score: 0.2, fmr: 1e-3 }, { score: 0.4, fmr: 1e-5 }, { score: 0.6, fmr: 1e-7 }] };
  it('is the score whose false-match rate reaches the target', () => {
    assert.equal(strictThreshold(table, 1e-5).threshold, 0.4);
    assert.ok(Math.abs(strictThreshold(table, 1e-4).threshold - 0.3) < 1e-9);
  });
  it('says so when the table does not reach the target', () => {
    const t = strictThreshold(table, 1e-9);
    assert.equal(t.beyondTable, true);
    assert.equal(t.threshold, 0.6);
  });
});
