import { loadConfig, PROJECT_ROOT } from '../../src/config.ts';
import { mergeModelConfig } from '../../src/engines/face/create-face-engine.ts';
import { defaultFaceModelConfig, type FaceModelConfig } from '../../src/engines/face/model-config.ts';
import type { DetectedFace } from '../../src/ports/face-engine.ts';
import { mostProminent } from '../../src/services/searches/probe-choice.ts';

export type FaceChoice = 'prominent' | 'central' | 'largest';

export interface LfwBenchOptions {
  'detector-order'?: string;
  'recogniser-order'?: string;
  flip?: boolean;
  'face-choice'?: string;
}

/**
 * What bench:lfw measures: the product's own model configuration (the defaults merged with the
 * config file's `models`, as `likeness serve` loads them) and the product's face choice, unless
 * an option says otherwise; the result file names every departure.
 */
export function lfwBenchSettings(options: LfwBenchOptions, product: FaceModelConfig = productModelConfig()): { config: FaceModelConfig; faceChoice: FaceChoice } {
  const config = structuredClone(product);
  const order = (value: string, name: string) => {
    if (value !== 'rgb' && value !== 'bgr') throw new Error(`--${name} must be rgb or bgr`);
    return value;
  };
  if (options['detector-order'] !== undefined) config.detector.normalisation.channelOrder = order(options['detector-order'], 'detector-order');
  if (options['recogniser-order'] !== undefined) config.recogniser.normalisation.channelOrder = order(options['recogniser-order'], 'recogniser-order');
  if (options.flip !== undefined) config.recogniser.flipAugment = options.flip;
  const faceChoice = (options['face-choice'] ?? 'prominent') as FaceChoice;
  if (!['prominent', 'central', 'largest'].includes(faceChoice)) throw new Error('--face-choice must be prominent, central or largest');
  return { config, faceChoice };
}

export function productModelConfig(): FaceModelConfig {
  return mergeModelConfig(defaultFaceModelConfig(PROJECT_ROOT), loadConfig().models);
}

/** The face a benchmark embeds: by default the one a search would use. */
export function chooseFace(faces: readonly DetectedFace[], width: number, height: number, how: FaceChoice): DetectedFace | undefined {
  if (faces.length === 0) return undefined;
  if (how === 'prominent') return faces[mostProminent(faces, width, height)];
  if (how === 'largest') return faces[0];
  const off = (f: DetectedFace) => Math.hypot(f.box.x + f.box.width / 2 - width / 2, f.box.y + f.box.height / 2 - height / 2);
  return [...faces].sort((a, b) => off(a) - off(b))[0];
}
