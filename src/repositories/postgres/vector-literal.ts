// pgvector's text form, `[0.1,-2,3e-05]`: how embeddings are written (reads use the binary form,
// vector-binary.ts). A float32 printed by JavaScript is the shortest decimal
// that reads back as the same double, and pgvector reads it with strtof, so the value it stores is
// the same float32; pgvector prints the shortest decimal that reads back as its float32. Both ways
// are exact.
export function toVectorLiteral(embedding: Float32Array): string {
  return `[${embedding.join(',')}]`;
}

export function fromVectorLiteral(text: string): Float32Array {
  const body = text.slice(1, -1);
  if (body.length === 0) return new Float32Array(0);
  const parts = body.split(',');
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = Number(parts[i]);
  return out;
}
