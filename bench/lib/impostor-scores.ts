/**
 * Score thresholds for low false-accept rates need far more impostor pairs than the 3,000 of
 * the LFW protocol. Every pair of embedded images of different people is one: millions, so the
 * scores go into a fine histogram instead of memory.
 */
export interface ImpostorThresholds {
  pairs: number;
  /** far -> lowest score threshold (to the bin width) with at most that false-accept rate. */
  thresholds: Record<string, number>;
}

const BINS = 20_000;

export function impostorThresholds(
  embeddings: readonly Float32Array[],
  identities: readonly string[],
  fars: readonly number[],
): ImpostorThresholds {
  const histogram = new Float64Array(BINS + 1);
  let pairs = 0;
  for (let i = 0; i < embeddings.length; i++) {
    const a = embeddings[i] as Float32Array;
    for (let j = i + 1; j < embeddings.length; j++) {
      if (identities[i] === identities[j]) continue;
      const b = embeddings[j] as Float32Array;
      let dot = 0;
      for (let k = 0; k < a.length; k++) dot += (a[k] as number) * (b[k] as number);
      const bin = binOf(dot);
      histogram[bin] = (histogram[bin] as number) + 1;
      pairs++;
    }
  }
  const thresholds: Record<string, number> = {};
  for (const far of fars) {
    const allowed = Math.floor(far * pairs);
    let above = 0;
    let bin = BINS;
    // Walk down from the top until taking the next bin would exceed the allowance.
    while (bin >= 0 && above + (histogram[bin] as number) <= allowed) above += histogram[bin--] as number;
    thresholds[String(far)] = bin < 0 ? -1 : upperEdge(bin);
  }
  return { pairs, thresholds };
}

function binOf(score: number): number {
  const clamped = Math.min(1, Math.max(-1, score));
  return Math.floor(((clamped + 1) / 2) * BINS);
}

function upperEdge(bin: number): number {
  return Math.round(((bin + 1) / BINS * 2 - 1) * 1e4) / 1e4;
}
