import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomically } from '../src/engines/vector-index/atomic-file.ts';
import { UsearchIndex } from '../src/engines/vector-index/usearch-index.ts';
import type { Quantisation } from '../src/ports/vector-index.ts';
import { peakRssBytes, rssBytes, timed } from './search-metrics.ts';

/** What the graph depends on: a checkpoint is resumed only by a run with the same values. */
export interface BuildSettings {
  faces: number;
  dimension: number;
  quantisation: Quantisation;
  connectivity: number;
  expansionAdd: number;
  seed: number;
  effectiveDimension: number;
  repair: boolean;
}

/** One process's share of a build: the vectors it added and checkpointed, and what that took. */
export interface BuildPiece {
  from: number;
  to: number;
  /** Wall and CPU time inside the index's add, as for a build in one piece. */
  seconds: number;
  cpuSeconds: number;
  /** Writing its checkpoints and, for the last piece, the finished index. */
  saveSeconds: number;
  repaired: number;
  threads: number;
  loadAverageAtStart: number;
  rssBytes: number;
  peakRssBytes: number;
  startedAt: string;
}

export interface BuildRecord {
  settings: BuildSettings;
  /** Vectors in the checkpoint, or in the finished index once it equals settings.faces. */
  done: number;
  /** File name, beside the index file, of the checkpoint to resume from; null once finished. */
  checkpoint: string | null;
  pieces: BuildPiece[];
}

export interface ResumableBuildOptions {
  indexPath: string;
  settings: BuildSettings;
  threads: number;
  /** Vectors between checkpoints. */
  checkpointEvery: number;
  /** Vectors made and added at a time. */
  chunk: number;
  /** Writes faces [start, end) as rows of `out`: the same faces in every run. */
  fill: (start: number, end: number, out: Float32Array) => void;
  log?: (message: string) => void;
  /** Stops after the first checkpoint holding at least this many vectors, as an interrupted run would. */
  stopAfter?: number;
}

export const buildRecordPath = (indexPath: string): string => `${indexPath}.build.json`;

export function readBuildRecord(indexPath: string): BuildRecord | undefined {
  const path = buildRecordPath(indexPath);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BuildRecord) : undefined;
}

/** The build's figures over all its pieces: the time of a build interrupted and resumed is the sum of its pieces'. */
export function buildTotals(record: BuildRecord): { seconds: number; cpuSeconds: number; saveSeconds: number; repaired: number; peakRssBytes: number } {
  const sum = (pick: (p: BuildPiece) => number) => record.pieces.reduce((s, p) => s + pick(p), 0);
  return {
    seconds: sum((p) => p.seconds),
    cpuSeconds: sum((p) => p.cpuSeconds),
    saveSeconds: sum((p) => p.saveSeconds),
    repaired: sum((p) => p.repaired),
    peakRssBytes: Math.max(0, ...record.pieces.map((p) => p.peakRssBytes)),
  };
}

/**
 * Builds the index file in pieces that survive the process: every `checkpointEvery` vectors the
 * index is saved beside the file (written to a temporary name and renamed, then the record that
 * names it), and a run started again with the same settings loads the last checkpoint and adds
 * the rest. Vectors added after the last checkpoint are added again by the next run; their time
 * is not counted. A stranded-node check (UsearchIndex repairAdds) covers each add, resumed or not.
 */
export async function buildResumably(o: ResumableBuildOptions): Promise<BuildRecord> {
  const unlock = lockBuild(o.indexPath);
  try {
    return await buildLocked(o);
  } finally {
    unlock();
  }
}

async function buildLocked(o: ResumableBuildOptions): Promise<BuildRecord> {
  const { indexPath, settings, chunk } = o;
  const log = o.log ?? (() => {});
  const d = settings.dimension;
  let record = readBuildRecord(indexPath);
  if (record) refuseOtherSettings(record.settings, settings, buildRecordPath(indexPath));
  if (record?.done === settings.faces && record.checkpoint === null && existsSync(indexPath)) return record;
  removeStaleFiles(indexPath, record?.checkpoint ?? null);

  let index: UsearchIndex;
  const indexOptions = { dimension: d, expansionAdd: settings.expansionAdd, threads: o.threads, repairAdds: settings.repair };
  if (record?.checkpoint) {
    const path = join(dirname(indexPath), record.checkpoint);
    index = UsearchIndex.load(path, indexOptions);
    if (index.size !== record.done) throw new Error(`${path} holds ${index.size} vectors, its record says ${record.done}`);
    log(`resuming from ${path}: ${record.done}/${settings.faces} vectors`);
  } else {
    record = { settings, done: 0, checkpoint: null, pieces: [] };
    index = new UsearchIndex({ ...indexOptions, quantisation: settings.quantisation, connectivity: settings.connectivity });
  }
  const earlier = record.pieces;
  const piece: BuildPiece = {
    from: record.done, to: record.done, seconds: 0, cpuSeconds: 0, saveSeconds: 0, repaired: 0, threads: o.threads,
    loadAverageAtStart: Number(loadavg()[0]!.toFixed(2)), rssBytes: 0, peakRssBytes: 0, startedAt: new Date().toISOString(),
  };
  const buffer = new Float32Array(chunk * d);
  // A 10M build at the lowest priority runs for hours: a line every 100k vectors shows it is moving.
  const reportEvery = Math.max(chunk, Math.min(Math.floor(settings.faces / 20), 100_000));
  let reported = record.done;
  let checkpointed = record.done;
  const keep = (done: number, checkpoint: string | null) => {
    piece.repaired = index.repaired;
    piece.rssBytes = rssBytes();
    piece.peakRssBytes = peakRssBytes();
    record = { settings, done, checkpoint, pieces: [...earlier, { ...piece }] };
    writeFileAtomically(buildRecordPath(indexPath), (temp) => writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`));
  };
  const progress = (done: number, what: string) => {
    const totals = buildTotals({ ...record!, pieces: [...earlier, piece] });
    log(`build: ${done}/${settings.faces} ${what}(${Math.round(done / Math.max(totals.seconds, 1e-9))} vectors/s over ` +
      `${totals.seconds.toFixed(0)} s of adding in ${earlier.length + 1} piece(s); this piece ${Math.round((done - piece.from) / Math.max(piece.seconds, 1e-9))}/s; ` +
      `RSS ${(rssBytes() / 2 ** 20).toFixed(0)} MiB, peak ${(peakRssBytes() / 2 ** 20).toFixed(0)} MiB)`);
  };

  for (let start = record.done; start < settings.faces; start += chunk) {
    const end = Math.min(settings.faces, start + chunk);
    o.fill(start, end, buffer);
    const keys = Array.from({ length: end - start }, (_, i) => start + i);
    const rows = keys.map((_, i) => buffer.subarray(i * d, (i + 1) * d));
    const spent = await timed(() => index.add(keys, rows));
    piece.to = end;
    piece.seconds += spent.seconds;
    piece.cpuSeconds += spent.cpuSeconds;
    if (end === settings.faces) break;
    if (end - checkpointed >= o.checkpointEvery) {
      const name = `${basename(indexPath)}.partial-${end}`;
      piece.saveSeconds += (await timed(() => index.save(join(dirname(indexPath), name)))).seconds;
      const previous = record.checkpoint;
      keep(end, name);
      if (previous) rmSync(join(dirname(indexPath), previous), { force: true });
      checkpointed = end;
      progress(end, 'checkpointed ');
      reported = end;
      if (o.stopAfter !== undefined && end >= o.stopAfter) {
        index.close();
        return record;
      }
    } else if (end - reported >= reportEvery) {
      progress(end, '');
      reported = end;
    }
  }
  piece.saveSeconds += (await timed(() => index.save(indexPath))).seconds;
  const previous = record.checkpoint;
  keep(settings.faces, null);
  if (previous) rmSync(join(dirname(indexPath), previous), { force: true });
  progress(settings.faces, 'done ');
  index.close();
  return record;
}

/**
 * Re-running the command while a build still runs must not start a second writer of the same
 * checkpoints: the lock file names the building process, and a lock whose process is gone is taken over.
 */
function lockBuild(indexPath: string): () => void {
  const path = `${indexPath}.build.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = Number(readFileSync(path, 'utf8'));
      if (holder !== process.pid && processRuns(holder)) throw new Error(`${indexPath} is being built by process ${holder}`);
      rmSync(path, { force: true });
    }
  }
}

function refuseOtherSettings(saved: BuildSettings, wanted: BuildSettings, path: string): void {
  const differs = (Object.keys(wanted) as (keyof BuildSettings)[]).filter((name) => saved[name] !== wanted[name]);
  if (differs.length > 0) {
    throw new Error(`${path} records a build with other settings (${differs.map((n) => `${n} ${saved[n]}, not ${wanted[n]}`).join('; ')}); remove it or use another index file`);
  }
}

/**
 * A run killed while saving leaves a temporary file (src/engines/vector-index/atomic-file.ts), and
 * one killed between a checkpoint and its record leaves a checkpoint nothing names; at 10M faces
 * each is gigabytes.
 */
function removeStaleFiles(indexPath: string, keep: string | null): void {
  const dir = dirname(indexPath);
  const base = basename(indexPath);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const checkpoint = name.startsWith(`${base}.partial-`) && name !== keep;
    const temp = name.startsWith(`.${base}.`) && name.endsWith('.tmp') && !aliveWriter(name);
    if (checkpoint || temp) rmSync(join(dir, name), { force: true });
  }
}

/** Whether the process that named this temporary file (".name.PID.random.tmp") still runs. */
function aliveWriter(tempName: string): boolean {
  const pid = Number(tempName.split('.').at(-3));
  return pid === process.pid || processRuns(pid);
}

function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
