import type ort from 'onnxruntime-node';
import type { Point } from '../../domain/types.ts';
import type { DecodedImage } from '../../ports/face-engine.ts';
import type { FaceModelConfig } from './model-config.ts';
import { runSessionFilled } from './onnx-session.ts';
import { toPlanar } from './pixels.ts';
import { estimateSimilarity } from './similarity-transform.ts';
import { mirror, warpSimilarity } from './warp.ts';

type RecogniserConfig = FaceModelConfig['recogniser'];

/** Aligns the face so its five points best fit the template, as the recogniser was trained. */
export function alignFace(image: DecodedImage, landmarks: readonly Point[], config: RecogniserConfig): Uint8Array {
  const toCrop = estimateSimilarity(landmarks, config.template);
  return warpSimilarity(image, toCrop, config.inputSize);
}

/** Embeds an aligned crop; the result is L2-normalised so cosine similarity is a dot product. */
export async function embedAligned(session: ort.InferenceSession, config: RecogniserConfig, crop: Uint8Array): Promise<Float32Array> {
  const size = config.inputSize;
  const embedding = await runOnce(session, config, crop);
  if (config.flipAugment) {
    const flipped = await runOnce(session, config, mirror(crop, size, size));
    for (let i = 0; i < embedding.length; i++) embedding[i] = (embedding[i] ?? 0) + (flipped[i] ?? 0);
  }
  return l2Normalise(embedding);
}

async function runOnce(session: ort.InferenceSession, config: RecogniserConfig, crop: Uint8Array): Promise<Float32Array> {
  const size = config.inputSize;
  const out = await runSessionFilled(session, [1, 3, size, size], (input) => toPlanar(crop, size, size, config.normalisation, input));
  const vector = Object.values(out)[0];
  if (!vector || vector.length !== config.dimension) {
    throw new Error(`Recogniser output has ${vector?.length ?? 0} values; the config says ${config.dimension}`);
  }
  return Float32Array.from(vector);
}

export function l2Normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}
