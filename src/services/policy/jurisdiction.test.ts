import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstCovered, isJurisdiction, jurisdictionCovers } from './jurisdiction.ts';

describe('jurisdictionCovers', () => {
  const cases: Array<[string, string, boolean]> = [
    ['US-IL', 'US-IL', true],
    ['US-IL', 'US', false],
    ['US-IL', 'US-CA', false],
    ['US', 'US', true],
    ['US', 'US-IL', true],
    ['US', 'USA', false],
    ['FR', 'GB', false],
    ['gb', 'GB-SCT', true],
    ['GB-SC', 'GB-SCT', false],
  ];
  for (const [rule, code, expected] of cases) {
    it(`a rule on ${rule} ${expected ? 'covers' : 'does not cover'} ${code}`, () => {
      assert.equal(jurisdictionCovers(rule, code), expected);
    });
  }

  it('reports the first code covered and the rule that covers it', () => {
    assert.deepEqual(firstCovered(['FR', 'US'], ['DE', 'US-IL']), { rule: 'US', code: 'US-IL' });
    assert.equal(firstCovered(['US-IL'], ['US', 'DE']), undefined);
  });

  it('accepts ISO 3166 codes with subdivisions only', () => {
    assert.ok(isJurisdiction('US-IL'));
    assert.ok(isJurisdiction('GB-SCT'));
    assert.ok(!isJurisdiction('France'));
    assert.ok(!isJurisdiction('us'));
  });
});
