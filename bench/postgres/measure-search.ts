// Searches as clients send them: one query at a time (latency, and the q/s of a single client),
// then several at once, each on a connection of the store's pool (the q/s the server gives them).
import type { VectorMatch } from '../../src/ports/vector-index.ts';
import { percentile } from '../search-metrics.ts';

export type Search = (probe: Float32Array) => Promise<VectorMatch[]>;

export interface SequentialFigures { results: VectorMatch[][]; qps: number; p50Ms: number; p99Ms: number; meanMs: number }

export async function oneClient(probes: readonly Float32Array[], search: Search): Promise<SequentialFigures> {
  const ms: number[] = [];
  const results: VectorMatch[][] = [];
  const began = performance.now();
  for (const probe of probes) {
    const t = performance.now();
    results.push(await search(probe));
    ms.push(performance.now() - t);
  }
  const seconds = (performance.now() - began) / 1000;
  const mean = ms.reduce((s, x) => s + x, 0) / ms.length;
  ms.sort((a, b) => a - b);
  return { results, qps: probes.length / seconds, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), meanMs: mean };
}

/** Every client takes the next probe as soon as its last answer is in; q/s over the whole run. */
export async function manyClients(clients: number, probes: readonly Float32Array[], search: Search): Promise<{ qps: number; p50Ms: number; p99Ms: number }> {
  let next = 0;
  const ms: number[] = [];
  const began = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < probes.length) {
      const probe = probes[next++]!;
      const t = performance.now();
      await search(probe);
      ms.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - began) / 1000;
  ms.sort((a, b) => a - b);
  return { qps: probes.length / seconds, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}
