// Synthetic face embeddings for PostgreSQL tests: unit vectors around identity centres, so top-k
// neighbourhoods look like a recogniser's (a few near faces of the same person, then strangers).
// Seeded, so every run and every node sees the same data.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

export interface ClusteredVectors {
  faces: Float32Array[];
  /** New photos of existing identities: never one of `faces`. */
  probes: Float32Array[];
}

export function clusteredVectors(options: { faces: number; perIdentity: number; probes: number; dimension?: number; seed?: number }): ClusteredVectors {
  const d = options.dimension ?? 512;
  const next = mulberry32(options.seed ?? 42);
  const identities = Math.ceil(options.faces / options.perIdentity);
  const centres = Array.from({ length: identities }, () => normalise(Float32Array.from({ length: d }, () => gaussian(next))));
  // Noise of norm ~0.9 against a unit centre: same-identity cosines around 0.55, strangers near 0.
  const sample = (centre: Float32Array) =>
    normalise(Float32Array.from(centre, (c) => c + (0.9 / Math.sqrt(d)) * gaussian(next)));
  const faces = Array.from({ length: options.faces }, (_, i) => sample(centres[Math.floor(i / options.perIdentity)]!));
  const probes = Array.from({ length: options.probes }, () => sample(centres[Math.floor(next() * identities)]!));
  return { faces, probes };
}

/** pgvector's text form of a vector; nine significant digits give back the same float32. */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v, (x) => x.toPrecision(9)).join(',')}]`;
}
