import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_INDEX_PROFILE, IndexProfiles, profileProblem } from './index-profile.ts';

describe('index profiles', () => {
  it('overrides the default per gallery name, setting by setting', () => {
    const profiles = new IndexProfiles(DEFAULT_INDEX_PROFILE, { archive: { quantisation: 'i8', expansionSearch: 512 } });
    assert.deepEqual(profiles.forGallery('archive'), { ...DEFAULT_INDEX_PROFILE, quantisation: 'i8', expansionSearch: 512 });
    assert.equal(profiles.forGallery('press'), DEFAULT_INDEX_PROFILE);
    assert.equal(profiles.forGallery(undefined), DEFAULT_INDEX_PROFILE);
  });

  it('names the setting that is out of range', () => {
    assert.equal(profileProblem(DEFAULT_INDEX_PROFILE), undefined);
    assert.match(profileProblem({ quantisation: 'f8' as never }) ?? '', /quantisation must be one of f32, f16, i8/);
    assert.match(profileProblem({ connectivity: 2 }) ?? '', /connectivity/);
    assert.match(profileProblem({ expansionSearch: 1.5 }) ?? '', /expansionSearch/);
    assert.match(profileProblem({ cutover: -1 }) ?? '', /cutover/);
  });
});
