// The HNSW index, built after the load in one pass, with parallel workers and the whole graph in
// maintenance_work_mem (a build that outgrows it goes on much slower, on disk). Progress from
// pg_stat_progress_create_index, as a 1M build takes many minutes.
import type pg from 'pg';
import { connect } from './bench-schema.ts';

export interface BuildSettings {
  maintenanceWorkMem: string;
  parallelWorkers: number;
}

export async function buildHnsw(url: string, definition: string, settings: BuildSettings, log: (message: string) => void): Promise<number> {
  const client = await connect(url);
  const watcher = await connect(url);
  const began = performance.now();
  const timer = setInterval(() => void progress(watcher, began, log), 30_000);
  try {
    await client.query(`SET maintenance_work_mem = '${settings.maintenanceWorkMem}'`);
    await client.query(`SET max_parallel_maintenance_workers = ${settings.parallelWorkers}`);
    await client.query(definition);
    return (performance.now() - began) / 1000;
  } finally {
    clearInterval(timer);
    await client.end();
    await watcher.end();
  }
}

async function progress(watcher: pg.Client, began: number, log: (message: string) => void): Promise<void> {
  try {
    const { rows } = await watcher.query<{ phase: string; tuples_done: string; tuples_total: string }>(
      "SELECT phase, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE datname = current_database()");
    const at = ((performance.now() - began) / 1000).toFixed(0);
    for (const r of rows) log(`hnsw build ${at}s: ${r.phase}, ${r.tuples_done}/${r.tuples_total} tuples`);
  } catch {
    // Progress is only a courtesy; the build's own error, if any, comes from the build.
  }
}
