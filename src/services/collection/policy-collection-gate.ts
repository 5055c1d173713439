import type { Decision } from '../policy/decision.ts';
import type { PolicyService } from '../policy/policy-service.ts';
import type { CollectionGate, Refusal } from '../../ports/collection-gate.ts';
import type { FaceAges } from './face-ages.ts';

/**
 * The policy's collection rules at the ingestion seam. The source is asked about before the
 * image is even analysed (the policy may have changed since the source was declared); each
 * face is then asked about its quality and, when minors may not be indexed, its estimated age.
 */
export class PolicyCollectionGate implements CollectionGate {
  readonly admission: Record<string, unknown>;

  constructor(
    private readonly policy: PolicyService,
    policySha256: string,
    private readonly ages?: FaceAges,
  ) {
    this.admission = {
      outcome: 'allow',
      policySha256,
      ...(policy.needsAgeEstimate && ages ? { ageModel: ages.modelId } : {}),
    };
  }

  get readsAges(): boolean {
    return this.policy.needsAgeEstimate && this.ages !== undefined;
  }

  async checkImage({ source }: Parameters<NonNullable<CollectionGate['checkImage']>>[0]): Promise<Refusal | undefined> {
    return refusalOf(this.policy.decideSourceDeclaration(source));
  }

  async checkFace({ source, face, bytes }: Parameters<NonNullable<CollectionGate['checkFace']>>[0]): Promise<Refusal | undefined> {
    // Every other rule first: a face they refuse costs no age estimate.
    const others = this.policy.decideImageCollection({ source, quality: face.quality, estimatedAge: Number.MAX_SAFE_INTEGER });
    if (others.outcome === 'deny' || !this.policy.needsAgeEstimate) return refusalOf(others);
    // The engine's estimate, made on the pixels it decoded, is the same model's (docs/architecture.md, "Collection").
    const estimatedAge = this.ages ? face.estimatedAge ?? await this.ages.ageOf(bytes, face.box) : undefined;
    return refusalOf(this.policy.decideImageCollection({ source, quality: face.quality, estimatedAge }));
  }
}

function refusalOf(decision: Decision): Refusal | undefined {
  return decision.outcome === 'deny' ? { ruleId: decision.ruleId, reason: decision.reason } : undefined;
}
