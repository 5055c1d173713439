import { ERRORS, LikenessError, type ErrorCode } from '../../errors.ts';
import type { DecodeLimits } from './decode.ts';
import type { AnalysedImage, AnalyseOptions } from '../../ports/face-engine.ts';
import type { FaceModelConfig, OnnxModelFile } from './model-config.ts';

/** What the pool hands each worker at start. */
export interface WorkerSetup {
  config: FaceModelConfig;
  limits: Partial<DecodeLimits>;
  /** Loaded beside the face models when ingestion will ask for ages. */
  ageModel?: OnnxModelFile;
}

export interface SerialisedError {
  code?: string;
  message: string;
}

export type ToWorker =
  | { type: 'analyse'; id: number; bytes: Uint8Array; options: AnalyseOptions }
  /** Finish the image in hand, release the models, exit. */
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; modelId: string; dimension: number }
  | { type: 'failed'; error: SerialisedError }
  | { type: 'result'; id: number; result: AnalysedImage }
  | { type: 'error'; id: number; error: SerialisedError };

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof LikenessError) return { code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Errors cross the thread boundary as data; callers still get a LikenessError with the same code. */
export function reviveError(error: SerialisedError): Error {
  if (error.code !== undefined && error.code in ERRORS) return new LikenessError(error.code as ErrorCode, error.message);
  return new Error(error.message);
}
