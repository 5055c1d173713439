import type { FaceQuality } from '../../domain/types.ts';
import { ALLOW, deny, firstDenial, type Decision } from './decision.ts';
import { firstCovered } from './jurisdiction.ts';
import type { Policy } from './policy.ts';

/** The parts of a source the collection rules look at; a stored Source fits. */
export interface SourceFacts {
  name?: string;
  jurisdictions: readonly string[];
  legalBasis: string;
  specialCategoryCondition?: string | null;
  retentionDays: number;
}

export interface FaceCollectionFacts {
  source: SourceFacts;
  quality: Pick<FaceQuality, 'size' | 'detectionScore' | 'sharpness' | 'yaw'>;
  /** Years, from the age estimator; undefined when no estimate could be made. */
  estimatedAge: number | undefined;
}

/** May images be collected under this source at all? Asked at declaration and again per image. */
export function decideSourceDeclaration(policy: Policy, source: SourceFacts): Decision {
  const c = policy.collection;
  const label = source.name ? `source "${source.name}"` : 'the source';
  return firstDenial([
    () => {
      const hit = firstCovered(c.excludeJurisdictions, source.jurisdictions);
      if (!hit) return ALLOW;
      const via = hit.rule === hit.code ? '' : ` (within ${hit.rule})`;
      return deny('excluded-jurisdiction', `${label} is in jurisdiction ${hit.code}${via}, which is excluded from collection`);
    },
    () => (c.allowedLegalBases as readonly string[]).includes(source.legalBasis) ? ALLOW
      : deny('legal-basis-not-allowed',
        `legal basis "${source.legalBasis}" of ${label} is not one of the allowed: ${c.allowedLegalBases.join(', ')}`),
    () => {
      const condition = source.specialCategoryCondition ?? null;
      if (condition === null) {
        return c.requireSpecialCategoryCondition
          ? deny('special-category-condition-required',
            `${label} states no GDPR Art. 9 condition, and faces processed to identify people are special-category data`)
          : ALLOW;
      }
      return c.specialCategoryConditions.includes(condition) ? ALLOW
        : deny('special-category-condition-not-allowed',
          `Art. 9 condition "${condition}" of ${label} is not one of the allowed: ${c.specialCategoryConditions.join(', ')}`);
    },
    () => source.retentionDays <= c.maxRetentionDays ? ALLOW
      : deny('retention-too-long', `${label} keeps faces ${source.retentionDays} days, more than the maximum of ${c.maxRetentionDays}`),
  ]);
}

/** May this one face, found in an image of this source, be indexed? */
export function decideImageCollection(policy: Policy, facts: FaceCollectionFacts): Decision {
  const c = policy.collection;
  const q = facts.quality;
  const min = c.minFaceQuality;
  const tooLow = (what: string): Decision => deny('face-quality-too-low', what);
  return firstDenial([
    () => decideSourceDeclaration(policy, facts.source),
    () => q.size >= min.minSize ? ALLOW : tooLow(`the face is ${round(q.size)} px, smaller than the minimum of ${min.minSize} px`),
    () => q.detectionScore >= min.minDetectionScore ? ALLOW
      : tooLow(`the detection score ${round(q.detectionScore)} is below the minimum of ${min.minDetectionScore}`),
    () => q.sharpness >= min.minSharpness ? ALLOW
      : tooLow(`the sharpness ${round(q.sharpness)} is below the minimum of ${min.minSharpness}`),
    () => Math.abs(q.yaw) <= min.maxYaw ? ALLOW
      : tooLow(`the head is turned ${round(Math.abs(q.yaw))} degrees, more than the maximum of ${min.maxYaw}`),
    () => {
      if (c.indexMinors) return ALLOW;
      if (facts.estimatedAge === undefined || !Number.isFinite(facts.estimatedAge)) {
        return deny('age-not-estimated', 'no age estimate was made, and faces of minors are not indexed');
      }
      return facts.estimatedAge >= c.minorAgeThreshold ? ALLOW
        : deny('minors-not-indexed',
          `the face is estimated ${round(facts.estimatedAge)} years old, under ${c.minorAgeThreshold}, and faces of minors are not indexed`);
    },
  ]);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
