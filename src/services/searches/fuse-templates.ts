/**
 * Several photos of one person as one probe: the normalised mean of their unit embeddings. Each
 * photo's own noise (pose, light, expression) averages out, so a fused template scores its person
 * higher; its impostor scores are measured apart (bench:calibrate, the fused table).
 */
export function fuseTemplates(templates: readonly Float32Array[]): Float32Array {
  if (templates.length === 0) throw new RangeError('nothing to fuse');
  const fused = new Float32Array(templates[0]!.length);
  for (const t of templates) {
    if (t.length !== fused.length) throw new RangeError('templates of different dimensions');
    for (let i = 0; i < t.length; i++) fused[i] = fused[i]! + t[i]!;
  }
  let norm = 0;
  for (const v of fused) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < fused.length; i++) fused[i] = fused[i]! / norm;
  return fused;
}
