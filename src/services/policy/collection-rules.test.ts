import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideImageCollection, decideSourceDeclaration, type FaceCollectionFacts, type SourceFacts } from './collection-rules.ts';
import { defaultPolicy, type Policy } from './policy.ts';

const source: SourceFacts = {
  name: 'press-archive',
  jurisdictions: ['DE'],
  legalBasis: 'legitimate-interests',
  specialCategoryCondition: 'substantial-public-interest',
  retentionDays: 365,
};

function policyWith(change: (p: Policy) => void): Policy {
  const p = defaultPolicy();
  change(p);
  return p;
}

const excluding = policyWith((p) => { p.collection.excludeJurisdictions = ['FR', 'US-IL']; });

describe('decideSourceDeclaration', () => {
  it('allows a complete source under the defaults', () => {
    assert.deepEqual(decideSourceDeclaration(defaultPolicy(), source), { outcome: 'allow' });
  });

  it('refuses a source in an excluded jurisdiction, naming the rule and the code', () => {
    const d = decideSourceDeclaration(excluding, { ...source, jurisdictions: ['DE', 'FR'] });
    assert.deepEqual(d, {
      outcome: 'deny',
      ruleId: 'excluded-jurisdiction',
      reason: 'denied by rule `excluded-jurisdiction`: source "press-archive" is in jurisdiction FR, which is excluded from collection',
    });
  });

  it('excluding US-IL refuses US-IL but not the US as a whole', () => {
    assert.equal(decideSourceDeclaration(excluding, { ...source, jurisdictions: ['US-IL'] }).outcome, 'deny');
    assert.equal(decideSourceDeclaration(excluding, { ...source, jurisdictions: ['US'] }).outcome, 'allow');
  });

  it('excluding US refuses US-IL and says through which rule', () => {
    const p = policyWith((x) => { x.collection.excludeJurisdictions = ['US']; });
    const d = decideSourceDeclaration(p, { ...source, jurisdictions: ['US-IL'] });
    assert.equal(d.outcome, 'deny');
    assert.match(d.outcome === 'deny' ? d.reason : '', /US-IL \(within US\)/);
  });

  it('refuses a legal basis the policy does not allow', () => {
    const p = policyWith((x) => { x.collection.allowedLegalBases = ['public-task']; });
    const d = decideSourceDeclaration(p, source);
    assert.equal(d.outcome === 'deny' && d.ruleId, 'legal-basis-not-allowed');
  });

  it('requires an Art. 9 condition by default, and lets the policy waive it', () => {
    const without = { ...source, specialCategoryCondition: null };
    const d = decideSourceDeclaration(defaultPolicy(), without);
    assert.equal(d.outcome === 'deny' && d.ruleId, 'special-category-condition-required');
    const waived = policyWith((x) => { x.collection.requireSpecialCategoryCondition = false; });
    assert.equal(decideSourceDeclaration(waived, without).outcome, 'allow');
  });

  it('refuses an Art. 9 condition outside the allowed list', () => {
    const p = policyWith((x) => { x.collection.specialCategoryConditions = ['explicit-consent']; });
    const d = decideSourceDeclaration(p, source);
    assert.equal(d.outcome === 'deny' && d.ruleId, 'special-category-condition-not-allowed');
  });

  it('refuses retention beyond the maximum, allows it at the maximum', () => {
    const d = decideSourceDeclaration(defaultPolicy(), { ...source, retentionDays: 1096 });
    assert.equal(d.outcome === 'deny' && d.ruleId, 'retention-too-long');
    assert.equal(decideSourceDeclaration(defaultPolicy(), { ...source, retentionDays: 1095 }).outcome, 'allow');
  });
});

describe('decideImageCollection', () => {
  const face: FaceCollectionFacts = {
    source,
    quality: { size: 80, detectionScore: 0.95, sharpness: 120, yaw: 10 },
    estimatedAge: 34,
  };
  const strict = policyWith((p) => { p.collection.minFaceQuality = { minSize: 40, minDetectionScore: 0.8, minSharpness: 50, maxYaw: 30 }; });

  it('allows a good adult face from an allowed source', () => {
    assert.deepEqual(decideImageCollection(strict, face), { outcome: 'allow' });
  });

  it('applies the source rules again, so a later exclusion stops collection', () => {
    const d = decideImageCollection(excluding, { ...face, source: { ...source, jurisdictions: ['FR'] } });
    assert.equal(d.outcome === 'deny' && d.ruleId, 'excluded-jurisdiction');
  });

  const low: Array<[string, Partial<FaceCollectionFacts['quality']>, RegExp]> = [
    ['size', { size: 39.5 }, /39\.5 px, smaller than the minimum of 40 px/],
    ['detection score', { detectionScore: 0.79 }, /detection score 0\.79/],
    ['sharpness', { sharpness: 49 }, /sharpness 49/],
    ['yaw to the right', { yaw: 31 }, /turned 31 degrees/],
    ['yaw to the left', { yaw: -31 }, /turned 31 degrees/],
  ];
  for (const [what, change, reason] of low) {
    it(`refuses a face with too low a ${what}`, () => {
      const d = decideImageCollection(strict, { ...face, quality: { ...face.quality, ...change } });
      assert.equal(d.outcome === 'deny' && d.ruleId, 'face-quality-too-low');
      assert.match(d.outcome === 'deny' ? d.reason : '', reason);
    });
  }

  it('allows a face exactly at every minimum', () => {
    const q = { size: 40, detectionScore: 0.8, sharpness: 50, yaw: -30 };
    assert.equal(decideImageCollection(strict, { ...face, quality: q }).outcome, 'allow');
  });

  it('does not index a face estimated under 18, by default', () => {
    const d = decideImageCollection(defaultPolicy(), { ...face, estimatedAge: 17.9 });
    assert.equal(d.outcome === 'deny' && d.ruleId, 'minors-not-indexed');
    assert.match(d.outcome === 'deny' ? d.reason : '', /estimated 17\.9 years old, under 18/);
    assert.equal(decideImageCollection(defaultPolicy(), { ...face, estimatedAge: 18 }).outcome, 'allow');
  });

  it('refuses a face without an age estimate unless minors may be indexed', () => {
    const d = decideImageCollection(defaultPolicy(), { ...face, estimatedAge: undefined });
    assert.equal(d.outcome === 'deny' && d.ruleId, 'age-not-estimated');
    const minorsOk = policyWith((p) => { p.collection.indexMinors = true; });
    assert.equal(decideImageCollection(minorsOk, { ...face, estimatedAge: undefined }).outcome, 'allow');
    assert.equal(decideImageCollection(minorsOk, { ...face, estimatedAge: 9 }).outcome, 'allow');
  });

  it('uses a raised challenge age', () => {
    const p = policyWith((x) => { x.collection.minorAgeThreshold = 21; });
    assert.equal(decideImageCollection(p, { ...face, estimatedAge: 20 }).outcome, 'deny');
  });
});
