import type { Point } from '../../domain/types.ts';

/** x' = a*x - b*y + tx, y' = b*x + a*y + ty: rotation, uniform scale and translation, no shear. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * Least-squares similarity mapping `from` onto `to` (Umeyama 1991). In 2-D the rotation-scale
 * part is one complex number, so the SVD of the general method reduces to a closed form; it
 * never returns a reflection, which is what a face alignment wants.
 */
export function estimateSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new RangeError('Need at least two corresponding points');
  }
  const n = from.length;
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    const f = from[i] as Point;
    const t = to[i] as Point;
    fx += f[0]; fy += f[1]; tx += t[0]; ty += t[1];
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const f = from[i] as Point;
    const t = to[i] as Point;
    const x = f[0] - fx, y = f[1] - fy, u = t[0] - tx, v = t[1] - ty;
    dot += x * u + y * v;
    cross += x * v - y * u;
    norm += x * x + y * y;
  }
  if (norm === 0) throw new RangeError('The source points all coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  if (d === 0) throw new RangeError('Degenerate transform');
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** Rotation angle in radians and scale factor of the transform. */
export function decompose(t: Similarity): { angle: number; scale: number } {
  return { angle: Math.atan2(t.b, t.a), scale: Math.hypot(t.a, t.b) };
}
