/**
 * Synthetic face embeddings shaped like a recogniser's: identities are unit centres, faces are
 * centre + isotropic noise (intra-identity cosine 0.6-0.8), and centres are drawn from an
 * anisotropic Gaussian (power-law spectrum, spread over all axes by a randomised Hadamard
 * rotation) so that impostor cosines centre on 0 with a spread like real models' rather than the
 * 1/sqrt(512) of uniform noise. Every vector is a pure function of (seed, its index), so any range
 * can be regenerated on demand and runs are reproducible.
 */
export interface SyntheticOptions {
  faces: number;
  dimension: number;
  seed: number;
  /** (sum of variances)^2 / sum of squared variances of the centre distribution. */
  effectiveDimension: number;
  /**
   * The same for the within-identity noise (pose, light, age: the directions one person's photos
   * vary along, shared by everyone); isotropic over all axes when left out.
   */
  noiseEffectiveDimension?: number;
  /** Faces per identity are uniform in [min, max]. */
  facesPerIdentity: readonly [number, number];
}

const NOISE = [0.55, 0.8] as const;

export class SyntheticFaces {
  readonly options: SyntheticOptions;
  /** identityOf[i]: the identity of face i; faces of one identity are contiguous. */
  readonly identityOf: Int32Array;
  readonly identities: number;
  private readonly scale: Float64Array;
  private readonly signs: Float64Array;
  private readonly noiseScale: Float64Array | undefined;
  private readonly noiseSigns: Float64Array;

  constructor(options: SyntheticOptions) {
    this.options = options;
    const [lo, hi] = options.facesPerIdentity;
    const rng = new Rng(options.seed, 0x1d);
    this.identityOf = new Int32Array(options.faces);
    let id = 0;
    for (let i = 0; i < options.faces; id++) {
      const n = lo + Math.floor(rng.next() * (hi - lo + 1));
      this.identityOf.fill(id, i, Math.min(options.faces, i + n));
      i += n;
    }
    this.identities = id;
    this.scale = spectrum(options.dimension, options.effectiveDimension);
    this.signs = Float64Array.from({ length: options.dimension }, () => (rng.next() < 0.5 ? -1 : 1));
    // Scaled to the same total variance as isotropic noise, so only its shape changes.
    this.noiseScale = options.noiseEffectiveDimension === undefined ? undefined : unitTrace(spectrum(options.dimension, options.noiseEffectiveDimension));
    this.noiseSigns = Float64Array.from({ length: options.dimension }, () => (rng.next() < 0.5 ? -1 : 1));
  }

  /** Writes faces [start, end) as rows of `out`. */
  fill(start: number, end: number, out: Float32Array): void {
    const d = this.options.dimension;
    const centre = new Float64Array(d);
    let centreOf = -1;
    for (let i = start; i < end; i++) {
      const id = this.identityOf[i]!;
      if (id !== centreOf) {
        this.centre(id, centre);
        centreOf = id;
      }
      this.sample(centre, new Rng(this.options.seed, 0x2f, i), out, (i - start) * d);
    }
  }

  /** Query j: a new photo of an existing identity, never one of the indexed faces. */
  query(j: number): { identity: number; vector: Float32Array } {
    const rng = new Rng(this.options.seed, 0x3b, j);
    const identity = Math.floor(rng.next() * this.identities);
    const centre = new Float64Array(this.options.dimension);
    this.centre(identity, centre);
    const vector = new Float32Array(this.options.dimension);
    this.sample(centre, rng, vector, 0);
    return { identity, vector };
  }

  private centre(id: number, out: Float64Array): void {
    const rng = new Rng(this.options.seed, 0x47, id);
    for (let j = 0; j < out.length; j += 2) {
      const [a, b] = rng.normalPair();
      out[j] = a * this.scale[j]! * this.signs[j]!;
      if (j + 1 < out.length) out[j + 1] = b * this.scale[j + 1]! * this.signs[j + 1]!;
    }
    hadamard(out);
    normalise(out);
  }

  private sample(centre: Float64Array, rng: Rng, out: Float32Array, at: number): void {
    const d = centre.length;
    const sigma = (NOISE[0] + rng.next() * (NOISE[1] - NOISE[0])) / Math.sqrt(d);
    const noise = new Float64Array(d);
    for (let j = 0; j < d; j += 2) {
      const [a, b] = rng.normalPair();
      noise[j] = a;
      if (j + 1 < d) noise[j + 1] = b;
    }
    if (this.noiseScale) {
      // Its own rotation: the axes a person's photos vary along are not the axes people differ on.
      for (let j = 0; j < d; j++) noise[j]! *= this.noiseScale[j]! * this.noiseSigns[j]!;
      hadamard(noise);
      const unit = 1 / Math.sqrt(d);
      for (let j = 0; j < d; j++) noise[j]! *= unit;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const x = centre[j]! + sigma * noise[j]!;
      out[at + j] = x;
      norm += x * x;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < d; j++) out[at + j]! *= inv;
  }
}

/** Standard deviations of a power-law spectrum with the requested effective dimension. */
function spectrum(d: number, effective: number): Float64Array {
  const eff = (alpha: number) => {
    let s = 0;
    let s2 = 0;
    for (let j = 1; j <= d; j++) {
      const v = j ** -alpha;
      s += v;
      s2 += v * v;
    }
    return (s * s) / s2;
  };
  let lo = 0;
  let hi = 4;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (eff(mid) > effective) lo = mid;
    else hi = mid;
  }
  return Float64Array.from({ length: d }, (_, j) => Math.sqrt((j + 1) ** -lo));
}

/** Rescales standard deviations so that their variances sum to the dimension, as unit isotropic noise does. */
function unitTrace(scale: Float64Array): Float64Array {
  const total = scale.reduce((s, x) => s + x * x, 0);
  const k = Math.sqrt(scale.length / total);
  return scale.map((x) => x * k);
}

/** In-place orthogonal Walsh-Hadamard transform; a no-op unless the length is a power of two. */
function hadamard(v: Float64Array): void {
  const n = v.length;
  if ((n & (n - 1)) !== 0) return;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += h * 2) {
      for (let j = i; j < i + h; j++) {
        const a = v[j]!;
        const b = v[j + h]!;
        v[j] = a + b;
        v[j + h] = a - b;
      }
    }
  }
}

function normalise(v: Float64Array): void {
  let norm = 0;
  for (const x of v) norm += x * x;
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < v.length; j++) v[j]! *= inv;
}

/** sfc32 seeded from (seed, stream, index) through splitmix32, so streams never overlap in practice. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index = 0) {
    let s = (seed ^ Math.imul(stream, 0x9e3779b9) ^ Math.imul(index, 0x85ebca6b) ^ Math.floor(index / 4294967296)) >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 8; i++) this.next();
  }

  /** Uniform in (0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return ((t >>> 0) + 0.5) / 4294967296;
  }

  /** Two independent standard normals (Box-Muller). */
  normalPair(): [number, number] {
    const r = Math.sqrt(-2 * Math.log(this.next()));
    const theta = 2 * Math.PI * this.next();
    return [r * Math.cos(theta), r * Math.sin(theta)];
  }
}
