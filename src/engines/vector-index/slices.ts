import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export interface SliceOptions {
  /** Longest time one native call may hold the event loop. */
  budgetMs?: number;
  /** Upper bound on queries per call, e.g. to bound a kernel's scratch memory. */
  maxPerSlice?: number;
}

/**
 * Runs a synchronous multi-threaded batch kernel over `count` items in slices sized to a time
 * budget, yielding to the event loop between slices. The native binding blocks its calling
 * thread, and a worker thread could not use the index without a copy of its own (or a mapping
 * of its file, blind to changes made since the save), so bounded slices are what keeps timers
 * and I/O of a busy server flowing during a large batch.
 */
export async function runInSlices<T>(
  count: number,
  run: (start: number, end: number) => T[],
  options: SliceOptions = {},
): Promise<T[]> {
  const budgetMs = options.budgetMs ?? 10;
  const maxPerSlice = Math.max(1, options.maxPerSlice ?? 4096);
  const out: T[] = [];
  let size = Math.min(4, maxPerSlice);
  for (let start = 0; start < count; ) {
    await yieldToEventLoop();
    const end = Math.min(count, start + size);
    const began = performance.now();
    for (const item of run(start, end)) out.push(item);
    const perItem = (performance.now() - began) / (end - start);
    size = Math.max(1, Math.min(maxPerSlice, Math.floor(budgetMs / Math.max(perItem, 1e-3))));
    start = end;
  }
  return out;
}

/** Adds a large batch without holding the event loop for longer than one slice's budget. */
export async function addInSlices(
  index: { add(keys: readonly number[], vectors: readonly Float32Array[]): void },
  keys: readonly number[],
  vectors: readonly Float32Array[],
  options: SliceOptions = {},
): Promise<void> {
  await runInSlices(
    keys.length,
    (start, end) => {
      index.add(keys.slice(start, end), vectors.slice(start, end));
      return [];
    },
    options,
  );
}
