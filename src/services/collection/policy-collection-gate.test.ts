import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '../../domain/types.ts';
import type { DetectedFace } from '../../ports/face-engine.ts';
import { defaultPolicy, type Policy } from '../policy/policy.ts';
import { PolicyService } from '../policy/policy-service.ts';
import type { FaceAges } from './face-ages.ts';
import { PolicyCollectionGate } from './policy-collection-gate.ts';

const clock = { now: () => new Date('2026-06-01T00:00:00Z') };
const source: Source = {
  id: 's1', name: 'press', galleryId: 'g1', kind: 'directory', uri: '/srv', legalBasis: 'legitimate-interests',
  specialCategoryCondition: 'substantial-public-interest', jurisdictions: ['DE'], retentionDays: 30, controller: null, status: 'active', createdAt: '',
};
const face = (quality: Partial<DetectedFace['quality']> = {}): DetectedFace => ({
  box: { x: 0, y: 0, width: 100, height: 100 }, detectionScore: 0.99, landmarks: [],
  quality: { size: 100, detectionScore: 0.99, sharpness: 50, yaw: 0, roll: 0, ...quality }, embedding: new Float32Array(4),
});

function gate(change: (p: Policy) => void = () => {}, age?: number) {
  const policy = defaultPolicy();
  change(policy);
  const asked: number[] = [];
  const ages: FaceAges | undefined = age === undefined ? undefined : {
    modelId: 'age-1',
    ageOf: async () => { asked.push(age); return age; },
  };
  return { gate: new PolicyCollectionGate(new PolicyService(policy, clock), 'abc123', ages), asked };
}

const image = { width: 640, height: 480 };
const bytes = new Uint8Array(1);
const ruleOf = async (g: PolicyCollectionGate, s: Source = source, f: DetectedFace = face()) =>
  (await g.checkImage({ source: s, sha256: 'x' }))?.ruleId ?? (await g.checkFace({ source: s, face: f, image, bytes }))?.ruleId;

describe('PolicyCollectionGate: the collection rules at ingestion', () => {
  it('lets in a lawful face of an adult, and says under which rule set', async () => {
    const { gate: g, asked } = gate(undefined, 35);
    assert.equal(await ruleOf(g), undefined);
    assert.deepEqual(asked, [35]);
    assert.deepEqual(g.admission, { outcome: 'allow', policySha256: 'abc123', ageModel: 'age-1' });
  });

  it('refuses the whole image of a source in an excluded jurisdiction, before any analysis', async () => {
    const { gate: g } = gate((p) => { p.collection.excludeJurisdictions = ['DE']; }, 35);
    const refusal = await g.checkImage({ source, sha256: 'x' });
    assert.equal(refusal?.ruleId, 'excluded-jurisdiction');
    assert.match(refusal!.reason, /denied by rule `excluded-jurisdiction`/);
  });

  it('refuses images of a source whose legal basis, Art. 9 condition or retention the policy no longer allows', async () => {
    assert.equal(await ruleOf(gate((p) => { p.collection.allowedLegalBases = ['consent']; }, 35).gate), 'legal-basis-not-allowed');
    assert.equal(await ruleOf(gate(undefined, 35).gate, { ...source, specialCategoryCondition: null }), 'special-category-condition-required');
    assert.equal(await ruleOf(gate((p) => { p.collection.maxRetentionDays = 10; }, 35).gate), 'retention-too-long');
  });

  it('drops a face below the minimum quality without asking the age model', async () => {
    const { gate: g, asked } = gate(undefined, 35);
    assert.equal(await ruleOf(g, source, face({ size: 20 })), 'face-quality-too-low');
    assert.equal(await ruleOf(g, source, face({ yaw: 80 })), 'face-quality-too-low');
    assert.deepEqual(asked, []);
  });

  it('drops a face estimated under the minor threshold, and one whose age cannot be estimated', async () => {
    assert.equal(await ruleOf(gate(undefined, 12).gate), 'minors-not-indexed');
    assert.equal(await ruleOf(gate((p) => { p.collection.minorAgeThreshold = 25; }, 21).gate), 'minors-not-indexed');
    assert.equal(await ruleOf(gate().gate), 'age-not-estimated');
  });

  it('never runs the age model when the policy indexes minors', async () => {
    const { gate: g, asked } = gate((p) => { p.collection.indexMinors = true; }, 12);
    assert.equal(await ruleOf(g), undefined);
    assert.deepEqual(asked, []);
    assert.deepEqual(g.admission, { outcome: 'allow', policySha256: 'abc123' });
    assert.equal(g.readsAges, false);
  });

  it('decides on the age the engine estimated with the face, and estimates one only where the engine gave none', async () => {
    const { gate: g, asked } = gate(undefined, 35);
    assert.equal(g.readsAges, true);
    assert.equal(await ruleOf(g, source, { ...face(), estimatedAge: 12 }), 'minors-not-indexed');
    assert.equal(await ruleOf(g, source, { ...face(), estimatedAge: 40 }), undefined);
    assert.deepEqual(asked, []);
    assert.equal(await ruleOf(g, source, face()), undefined);
    assert.deepEqual(asked, [35]);
  });

  it('asks for no age, and reads none, without an age model', async () => {
    const { gate: g } = gate();
    assert.equal(g.readsAges, false);
    assert.equal(await ruleOf(g, source, { ...face(), estimatedAge: 40 }), 'age-not-estimated');
  });
});
