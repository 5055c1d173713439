import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSetIdentification, reorderedNamePairs, sameNameReordered } from './open-set.ts';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe('LFW open set', () => {
  it('joins names whose words are the same in another order, and only those', () => {
    assert.equal(sameNameReordered('Choi_Sung-hong', 'Sung_Hong_Choi'), true);
    assert.equal(sameNameReordered('Wang_Nan', 'Nan_Wang'), true);
    assert.equal(sameNameReordered('Nan_Wang', 'Nan_Wang'), false, 'one name is not a second one');
    assert.equal(sameNameReordered('Jon_Gruden', 'John_Gruden'), false);
    assert.deepEqual(reorderedNamePairs(['Nan_Wang', 'AJ_Cook', 'Wang_Nan', 'Sung_Hong_Choi', 'Choi_Sung-hong']),
      [['Nan_Wang', 'Wang_Nan'], ['Sung_Hong_Choi', 'Choi_Sung-hong']]);
  });

  it('does not count a person under a second name as a stranger of their non-mated search', () => {
    // Ann's probe scores 0.98 against her own gallery photo and 0.99 against "Smith_Ann", the same
    // face under another name; everyone else has a direction of their own.
    const axis = (i: number, lean = 0) => unit(...Array.from({ length: 12 }, (_, d) => (d === i ? 1 : d === 11 ? lean : 0)));
    const people = [
      { name: 'Ann_Smith', vectors: [axis(0), axis(0, 0.2), axis(0, 0.1)] },
      { name: 'Smith_Ann', vectors: [axis(0, 0.15)] },
      ...Array.from({ length: 8 }, (_, i) => ({ name: `Other_${i}`, vectors: [axis(2 + i), axis(2 + i, 0.1)] })),
    ];
    const asLabelled = openSetIdentification(people);
    const joined = openSetIdentification(people, sameNameReordered);
    assert.equal(joined.onePhoto.searches, 9);
    assert.ok(asLabelled.onePhoto.atFpir01.threshold > 0.9, 'as labelled, Ann\'s other name sets the threshold');
    assert.ok(joined.onePhoto.atFpir01.threshold < 0.1);
    assert.deepEqual([asLabelled.onePhoto.rank1, joined.onePhoto.rank1], [8 / 9, 1], 'her other name is no longer a rival of her mated search');
    assert.deepEqual([asLabelled.onePhoto.atFpir01.fnir, joined.onePhoto.atFpir01.fnir], [1, 0]);
  });
});
