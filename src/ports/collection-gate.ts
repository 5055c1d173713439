import type { Source } from '../domain/types.ts';
import type { DetectedFace } from './face-engine.ts';

/** Why an image or a face was not collected: the rule, and a sentence a person can read. */
export interface Refusal {
  ruleId: string;
  reason: string;
}

/**
 * A rule ingestion consults before anything is stored. An image refused whole is not even
 * analysed; a refused face is dropped from its image. Refusals leave a count and an audit
 * entry, never the face.
 */
export interface CollectionGate {
  checkImage?(input: { source: Source; sha256: string }): Promise<Refusal | undefined>;
  /** `bytes` are the image's, for a rule that must look at the face itself (an age estimate). */
  checkFace?(input: { source: Source; face: DetectedFace; image: { width: number; height: number }; bytes: Uint8Array }): Promise<Refusal | undefined>;
  /**
   * The gate reads each face's estimated age: ingestion asks the engine for it with the faces, and
   * the gate estimates one itself only where the engine gave none.
   */
  readonly readsAges?: boolean;
  /** What every image this gate let in records as the decision that admitted it. */
  readonly admission?: Record<string, unknown>;
}

export interface RefusalEvent extends Refusal {
  path: string;
  source: Source;
  sha256: string;
  /** 'image' when the whole image was refused, else the index of the face in its image. */
  scope: 'image' | number;
}
