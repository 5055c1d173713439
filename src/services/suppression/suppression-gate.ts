import type { CollectionGate, Refusal } from '../../ports/collection-gate.ts';
import type { SuppressionList } from './suppression-list.ts';

export const SUPPRESSION_RULE = 'subject-suppressed';

/** Drops, before anything is stored, every face that matches a person who objected or was erased. */
export class SuppressionGate implements CollectionGate {
  constructor(private readonly list: SuppressionList, private readonly modelId?: string) {}

  async checkFace(input: Parameters<NonNullable<CollectionGate['checkFace']>>[0]): Promise<Refusal | undefined> {
    const score = await this.list.match(input.face.embedding, this.modelId);
    if (score === null) return undefined;
    return { ruleId: SUPPRESSION_RULE, reason: 'The face matches a person who objected to or asked for erasure of their face' };
  }
}
