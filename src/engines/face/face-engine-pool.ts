import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isLikenessError } from '../../errors.ts';
import type { DecodeLimits } from './decode.ts';
import type { AnalysedImage, AnalyseOptions, FaceEngine } from '../../ports/face-engine.ts';
import type { FaceModelConfig, OnnxModelFile } from './model-config.ts';
import { reviveError, type FromWorker, type ToWorker, type WorkerSetup } from './worker-protocol.ts';

export interface FaceEnginePoolOptions {
  /** Worker threads, each with a single-threaded engine. Default: one per core. */
  workers?: number;
  /**
   * Images each worker holds at once. Two keep its core busy: while one image waits on the
   * image library's threads (decode, resize), the other runs a model. Default 2.
   */
  imagesPerWorker?: number;
  limits?: Partial<DecodeLimits>;
  /** Each worker loads it too and estimates ages when asked (OnnxFaceEngineOptions.ageModel). */
  ageModel?: OnnxModelFile;
}

interface Task {
  id: number;
  bytes: Uint8Array;
  options: AnalyseOptions;
  resolve: (result: AnalysedImage) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Task>;
}

const RUNNING_TYPESCRIPT = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(RUNNING_TYPESCRIPT ? './face-worker.ts' : './face-worker.js', import.meta.url);

/** How long a worker may take to finish its image and exit before it is terminated. */
const RETIRE_TIMEOUT_MS = 30_000;

/**
 * A FaceEngine that spreads analyse() calls over worker threads, a couple of images per worker
 * at a time. A worker that dies fails only the images it held and is replaced. close() lets images
 * in hand finish and fails the ones still queued.
 */
export class FaceEnginePool implements FaceEngine {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly retiring = new Set<Promise<void>>();
  private nextId = 0;
  private closed = false;
  private restarting = 0;
  /** Set when every worker has died and none could be restarted. */
  private broken: Error | undefined;

  private constructor(
    readonly modelId: string,
    readonly dimension: number,
    private readonly setup: WorkerSetup,
    private readonly imagesPerWorker: number,
  ) {}

  static async create(config: FaceModelConfig, options: FaceEnginePoolOptions = {}): Promise<FaceEnginePool> {
    const size = options.workers ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Pool workers must be a whole number of 1 or more, got ${size}`);
    const depth = options.imagesPerWorker ?? 2;
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`Images per worker must be a whole number of 1 or more, got ${depth}`);
    const setup: WorkerSetup = { config, limits: options.limits ?? {}, ageModel: options.ageModel };
    const started = await Promise.allSettled(Array.from({ length: size }, () => startWorker(setup)));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? retire(s.value.worker) : undefined)));
      throw failure.reason;
    }
    const workers = started.map((s) => (s as PromiseFulfilledResult<StartedWorker>).value);
    const first = workers[0] as StartedWorker;
    const pool = new FaceEnginePool(first.modelId, first.dimension, setup, depth);
    for (const { worker } of workers) pool.adopt(worker);
    return pool;
  }

  /** Workers alive now; briefly one less while a failed worker is being replaced. */
  get workers(): number {
    return this.slots.size;
  }

  analyse(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<AnalysedImage> {
    if (this.closed) return Promise.reject(new Error('The face engine pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    // A private copy is transferred, so the caller's buffer stays usable (the copy costs
    // microseconds against the milliseconds of analysis; the transfer itself copies nothing).
    const copy = new Uint8Array(bytes);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes: copy, options, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const error = new Error('The face engine pool was closed');
      for (const task of this.queue.splice(0)) task.reject(error);
      for (const slot of this.slots) this.retireSlot(slot);
    }
    await Promise.all(this.retiring);
  }

  private adopt(worker: Worker): void {
    const slot: Slot = { worker, tasks: new Map() };
    this.slots.add(slot);
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onDeath(slot, error));
    worker.on('exit', (code) => this.onDeath(slot, new Error(`Face worker exited with code ${code}`)));
    this.dispatch();
  }

  /** The least busy worker takes the next image, so images spread before any worker holds two. */
  private dispatch(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      let slot: Slot | undefined;
      for (const candidate of this.slots) {
        if (candidate.tasks.size < this.imagesPerWorker && (!slot || candidate.tasks.size < slot.tasks.size)) slot = candidate;
      }
      if (!slot) return;
      const task = this.queue.shift() as Task;
      slot.tasks.set(task.id, task);
      const message: ToWorker = { type: 'analyse', id: task.id, bytes: task.bytes, options: task.options };
      slot.worker.postMessage(message, [task.bytes.buffer as ArrayBuffer]);
    }
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const task = slot.tasks.get(message.id);
    if (!task) return;
    slot.tasks.delete(message.id);
    if (message.type === 'result') task.resolve(message.result);
    else task.reject(reviveError(message.error));
    this.dispatch();
  }

  private onDeath(slot: Slot, error: Error): void {
    if (this.closed || !this.slots.has(slot)) return;
    const held = [...slot.tasks.values()];
    slot.tasks.clear();
    for (const task of held) task.reject(new Error(`The face worker failed: ${error.message}`, { cause: error }));
    this.retireSlot(slot);
    this.restarting++;
    startWorker(this.setup).then(
      ({ worker }) => {
        this.restarting--;
        if (this.closed) this.track(retire(worker));
        else this.adopt(worker);
      },
      (reason: unknown) => {
        this.restarting--;
        this.onRespawnFailure(reason);
      },
    );
  }

  private retireSlot(slot: Slot): void {
    this.slots.delete(slot);
    this.track(retire(slot.worker).then(() => {
      for (const task of slot.tasks.values()) task.reject(new Error('The face worker exited before answering'));
    }));
  }

  private track(retirement: Promise<void>): void {
    this.retiring.add(retirement);
    void retirement.finally(() => this.retiring.delete(retirement));
  }

  private onRespawnFailure(reason: unknown): void {
    if (this.slots.size > 0 || this.restarting > 0 || this.closed) return;
    // No worker left to take the queue: fail it, and every later call, rather than leave callers waiting forever.
    const cause = reason instanceof Error ? reason : new Error(String(reason));
    this.broken = isLikenessError(cause) ? cause : new Error(`No face worker could be restarted: ${cause.message}`, { cause });
    for (const task of this.queue.splice(0)) task.reject(this.broken);
  }
}

/**
 * Asks a worker to finish and exit, terminating it only if it does not. Terminating a thread
 * in the middle of native inference aborts the whole process, so that is the last resort.
 */
function retire(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.threadId === -1) return resolve();
    const timer = setTimeout(() => void worker.terminate(), RETIRE_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ type: 'close' } satisfies ToWorker);
  });
}

interface StartedWorker {
  worker: Worker;
  modelId: string;
  dimension: number;
}

function startWorker(setup: WorkerSetup): Promise<StartedWorker> {
  return new Promise((resolve, reject) => {
    const worker = spawn(setup);
    // Only our own listeners may go: Worker keeps internal ones that deliver messages.
    const detach = () => {
      worker.off('message', onMessage);
      worker.off('error', fail);
      worker.off('exit', onExit);
    };
    // A worker that failed to start has nothing left to run and ends by itself.
    const fail = (error: Error) => {
      detach();
      reject(error);
    };
    const onExit = (code: number) => fail(new Error(`Face worker exited with code ${code} while starting`));
    const onMessage = (message: FromWorker) => {
      if (message.type === 'ready') {
        detach();
        resolve({ worker, modelId: message.modelId, dimension: message.dimension });
      } else if (message.type === 'failed') fail(reviveError(message.error));
      else fail(new Error(`Face worker sent ${message.type} before it was ready`));
    };
    worker.on('message', onMessage);
    worker.on('error', fail);
    worker.on('exit', onExit);
  });
}

/**
 * On Node 20, `execArgv: ['--import', 'tsx']` does not reach a worker's entry module ("Unknown
 * file extension .ts"), so the worker registers tsx itself before importing the real entry.
 */
function spawn(setup: WorkerSetup): Worker {
  if (!RUNNING_TYPESCRIPT) return new Worker(WORKER_URL, { workerData: setup });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(WORKER_URL.href);
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup, execArgv: [] });
}
