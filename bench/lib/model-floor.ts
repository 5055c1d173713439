import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromFloorProcess, ToFloorProcess } from './bare-models.ts';

export interface ModelFloor {
  processes: number;
  images: number;
  faces: number;
  failed: number;
  seconds: number;
  imagesPerSecond: number;
  /** Processor time of all the processes per image: what the machine's load does not change much. */
  cpuMsPerImage: number;
}

const SCRIPT = fileURLToPath(new URL('./bare-models.ts', import.meta.url));

/**
 * Runs bare-models.ts in `processes` processes, the files dealt out in turn, and times from
 * the moment every process has its models loaded until the last one finishes.
 */
export async function measureModelFloor(files: readonly string[], processes: number): Promise<ModelFloor> {
  const children = Array.from({ length: processes }, () => fork(SCRIPT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    await Promise.all(children.map((child) => nextMessage(child, 'ready')));
    const started = performance.now();
    const results = await Promise.all(children.map((child, i) => {
      const done = nextMessage(child, 'done');
      child.send({ type: 'go', files: files.filter((_, n) => n % processes === i) } satisfies ToFloorProcess);
      return done;
    }));
    const seconds = (performance.now() - started) / 1000;
    const sum = (key: 'images' | 'faces' | 'failed' | 'cpuMilliseconds') => results.reduce((total, r) => total + (r.type === 'done' ? r[key] : 0), 0);
    return { processes, images: sum('images'), faces: sum('faces'), failed: sum('failed'), seconds, imagesPerSecond: sum('images') / seconds,
      cpuMsPerImage: sum('cpuMilliseconds') / Math.max(1, sum('images')) };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

function nextMessage(child: ChildProcess, type: FromFloorProcess['type']): Promise<FromFloorProcess> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromFloorProcess) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`A floor process exited with code ${code} before sending ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
