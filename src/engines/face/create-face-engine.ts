import { PROJECT_ROOT, type Config } from '../../config.ts';
import { LikenessError } from '../../errors.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import { defaultAgeModel } from '../age/age-model-file.ts';
import { defaultFaceModelConfig, type FaceModelConfig } from './model-config.ts';

/**
 * Where the engine runs: 'pool' spreads images over `config.workers` threads, for processes
 * that analyse many (serve, ingest); 'in-process' loads the models once in the calling thread,
 * for a command that analyses an image or two and exits, where starting threads that each load
 * every model would cost more than the analysis itself.
 */
export type FaceEngineMode = 'pool' | 'in-process';

export interface FaceEngineExtras {
  /**
   * The pool's workers also load the age model and estimate ages when ingestion asks, on the
   * pixels they decoded anyway. One-shot commands ingest nothing and never load it.
   */
  ages?: boolean;
}

/** The configured engine: the default model pack with the config file's overrides. */
export async function createFaceEngine(config: Config, mode: FaceEngineMode = 'pool', extras: FaceEngineExtras = {}): Promise<FaceEngine> {
  const models = mergeModelConfig(defaultFaceModelConfig(PROJECT_ROOT), config.models);
  const limits = { maxBytes: config.limits.maxImageBytes, maxPixels: config.limits.maxPixels };
  // Each loads only with its mode: a command that never analyses a face loads neither, nor
  // the native libraries behind them.
  if (mode === 'in-process') {
    const { OnnxFaceEngine } = await import('./onnx-face-engine.ts');
    return OnnxFaceEngine.create(models, { threads: 1, limits });
  }
  const { FaceEnginePool } = await import('./face-engine-pool.ts');
  return FaceEnginePool.create(models, { workers: config.workers, limits, ageModel: extras.ages ? defaultAgeModel(PROJECT_ROOT) : undefined });
}

/** Overrides apply key by key, so a config file can change one path without restating the rest. */
export function mergeModelConfig(base: FaceModelConfig, overrides: Record<string, unknown>): FaceModelConfig {
  return merge(base, overrides, 'models') as FaceModelConfig;
}

function merge(base: unknown, override: unknown, at: string): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base)) {
    if (!isPlainObject(override)) throw new LikenessError('LIKENESS_CONFIG_INVALID', `${at} must be an object`);
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (!(key in base)) throw new LikenessError('LIKENESS_CONFIG_INVALID', `${at}.${key} is not a model setting`);
      out[key] = merge(base[key], value, `${at}.${key}`);
    }
    return out;
  }
  if (base !== undefined && typeof override !== typeof base) {
    throw new LikenessError('LIKENESS_CONFIG_INVALID', `${at} must be of type ${Array.isArray(base) ? 'array' : typeof base}`);
  }
  return override;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
