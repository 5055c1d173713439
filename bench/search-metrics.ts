import { readFileSync } from 'node:fs';
import type { VectorIndex, VectorMatch } from '../src/ports/vector-index.ts';

export function rssBytes(): number {
  return process.memoryUsage().rss;
}

/** The high-water mark of resident memory (Linux), or the current RSS elsewhere. */
export function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : rssBytes();
  } catch {
    return rssBytes();
  }
}

/**
 * Share of the exact top-k found by the approximate top-k; with `minScore`, only of the exact
 * matches scoring at least that (the ones a thresholded search would show).
 */
export function recallAtK(found: readonly VectorMatch[][], exact: readonly VectorMatch[][], k: number, minScore = -Infinity): number {
  let hits = 0;
  let wanted = 0;
  exact.forEach((truth, i) => {
    const top = new Set(truth.slice(0, k).filter((m) => m.score >= minScore).map((m) => m.key));
    wanted += top.size;
    for (const m of (found[i] ?? []).slice(0, k)) if (top.has(m.key)) hits++;
  });
  return wanted === 0 ? 1 : hits / wanted;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Wall time, and CPU time of the whole process (every native thread included): on a shared
 * machine the second still says what the work costs when the first is inflated by waiting.
 */
export async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - began) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Batch throughput at a given native thread count, and the answers for recall. */
export async function batchThroughput(
  index: VectorIndex,
  setThreads: (n: number) => void,
  threads: number,
  queries: readonly Float32Array[],
  k: number,
): Promise<{ qps: number; queriesPerCpuSecond: number; results: VectorMatch[][] }> {
  setThreads(threads);
  const { value, seconds, cpuSeconds } = await timed(() => index.searchBatch(queries, k));
  return { qps: queries.length / seconds, queriesPerCpuSecond: queries.length / cpuSeconds, results: value };
}

/** One query at a time, as an interactive search runs: wall and CPU milliseconds. */
export function singleQueryLatencies(
  index: VectorIndex,
  queries: readonly Float32Array[],
  k: number,
): { p50Ms: number; p99Ms: number; p50CpuMs: number; p99CpuMs: number } {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (const q of queries) {
    const cpu = process.cpuUsage();
    const began = process.hrtime.bigint();
    index.search(q, k);
    ms.push(Number(process.hrtime.bigint() - began) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1e3);
  }
  ms.sort((a, b) => a - b);
  cpuMs.sort((a, b) => a - b);
  return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), p50CpuMs: percentile(cpuMs, 50), p99CpuMs: percentile(cpuMs, 99) };
}

export const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
