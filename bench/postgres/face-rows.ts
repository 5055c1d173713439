// The columns of one synthetic face as the store writes a real one: uuid-shaped ids, box,
// landmarks and quality JSON, model, dates; bytes per face then match a real gallery's.
import type { CopyValue } from './binary-copy.ts';

export const BENCH_GALLERY = 'bench-gallery';
export const BENCH_SOURCE = 'bench-source';
const MODEL = 'faceplugin-0.0.1/fr_feature';
const BOX = '{"x":80.8,"y":56,"width":84.1,"height":131.9}';
const LANDMARKS = '[[106.04153859615326,112.13898560404778],[145.08195179700851,112.74149486422539],[127.03727388381958,139.2304241657257],[111.01733833551407,157.72160243988037],[137.47372341156006,158.21462321281433]]';
const QUALITY = '{"size":84,"detectionScore":0.9999898672103882,"sharpness":146.3,"yaw":5.5,"roll":0.9}';
const COLLECTED = Date.UTC(2026, 0, 1);
const RETENTION_MS = 3 * 365 * 86_400_000;

/** A uuid-shaped id that gives back its number: `uuidOf(7, 'f') === 'f0000000-0000-4000-8000-000000000007'`. */
export function uuidOf(n: number, prefix: string): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}0000000-0000-4000-8000-${hex}`;
}

export function faceValues(vectorKey: number, embedding: Float32Array): Record<string, CopyValue> {
  const at = new Date(COLLECTED + vectorKey * 1000);
  return {
    vector_key: vectorKey,
    id: uuidOf(vectorKey, 'f'),
    image_id: uuidOf(vectorKey, 'a'),
    gallery_id: BENCH_GALLERY,
    box: BOX,
    landmarks: LANDMARKS,
    quality: QUALITY,
    model_id: MODEL,
    expires_at: new Date(at.getTime() + RETENTION_MS).toISOString(),
    status: 'active',
    created_at: at.toISOString(),
    embedding,
  };
}

/** The image face `vectorKey` was found in: one face per image, as in most collected photos. */
export function imageValues(vectorKey: number): Record<string, CopyValue> {
  const hex = vectorKey.toString(16).padStart(16, '0');
  return {
    id: uuidOf(vectorKey, 'a'),
    source_id: BENCH_SOURCE,
    sha256: hex.repeat(4),
    perceptual_hash: hex,
    url: `https://images.example.org/${hex}.jpg`,
    page_url: `https://www.example.org/gallery/${hex}`,
    width: 1024,
    height: 768,
    collected_at: new Date(COLLECTED + vectorKey * 1000).toISOString(),
    policy_decision: '{"allowed":true}',
  };
}
