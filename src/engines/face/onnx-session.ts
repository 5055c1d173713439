import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type ort from 'onnxruntime-node';
import { LikenessError } from '../../errors.ts';
import { InputBuffers } from './input-buffers.ts';
import type { OnnxModelFile } from './model-config.ts';

export interface SessionOptions {
  /** Threads one inference may use; 1 when several engines share the cores. */
  threads: number;
}

type Runtime = Pick<typeof ort, 'InferenceSession' | 'Tensor'>;
let runtime: Runtime | undefined;

/** onnxruntime loads with the first model: a process that opens none never pays for it. */
async function loadRuntime(): Promise<Runtime> {
  // Named exports: how a CommonJS package's default import is exposed differs between loaders.
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  return (runtime ??= { InferenceSession, Tensor });
}

/**
 * Loads a model from the very bytes whose hash was checked, so the file cannot change between
 * the check and the load.
 */
export async function loadVerifiedSession(model: OnnxModelFile, options: SessionOptions): Promise<ort.InferenceSession> {
  let bytes: Buffer;
  try {
    bytes = await readFile(model.path);
  } catch (cause) {
    throw new LikenessError('LIKENESS_MODEL_INTEGRITY', `Model file ${model.path} cannot be read`, { cause });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== model.sha256.toLowerCase()) {
    throw new LikenessError(
      'LIKENESS_MODEL_INTEGRITY',
      `Model file ${model.path} has SHA-256 ${actual}, expected ${model.sha256}`,
    );
  }
  const ort = await loadRuntime();
  try {
    return await ort.InferenceSession.create(bytes, {
      logSeverityLevel: 3,
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle pool threads would otherwise spin waiting for work, burning the core another
      // engine's worker needs; with one thread there is no pool, and this costs nothing.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
  } catch (cause) {
    throw new LikenessError('LIKENESS_MODEL_INTEGRITY', `Model file ${model.path} is not a loadable ONNX model`, { cause });
  }
}

/** Runs a single-input, single-batch model and returns its named outputs as flat float arrays. */
export async function runSession(
  session: ort.InferenceSession,
  input: Float32Array,
  dims: readonly number[],
): Promise<Record<string, Float32Array>> {
  const name = session.inputNames[0];
  if (name === undefined) throw new LikenessError('LIKENESS_MODEL_INTEGRITY', 'Model has no input');
  // Loaded by loadVerifiedSession, which made the session.
  const { Tensor } = runtime as Runtime;
  const outputs = await session.run({ [name]: new Tensor('float32', input, dims) });
  const result: Record<string, Float32Array> = {};
  for (const [key, tensor] of Object.entries(outputs)) {
    result[key] = tensor.data as Float32Array;
  }
  return result;
}

/** Input buffers of this thread's sessions: each worker thread loads this module afresh. */
const inputs = new InputBuffers();

/**
 * runSession on an input that `fill` writes into a reused buffer of the size `dims` gives; the
 * buffer goes back for the next run once this one has ended (input-buffers.ts).
 */
export async function runSessionFilled(
  session: ort.InferenceSession,
  dims: readonly number[],
  fill: (input: Float32Array<ArrayBuffer>) => void,
): Promise<Record<string, Float32Array>> {
  const input = inputs.lease(dims.reduce((product, d) => product * d, 1));
  try {
    fill(input);
    return await runSession(session, input, dims);
  } finally {
    inputs.release(input);
  }
}
