// One OnnxFaceEngine per worker thread, single-threaded inside, so N workers use N cores
// without oversubscribing them.
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { AnalysedImage } from '../../ports/face-engine.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { serialiseError, type FromWorker, type ToWorker, type WorkerSetup } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('face-worker.ts runs only as a worker thread');
const setup = workerData as WorkerSetup;
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
// One core per worker: the image library gets one thread per operation, and no cache, since
// no image is decoded twice.
sharp.concurrency(1);
sharp.cache(false);

try {
  const engine = await OnnxFaceEngine.create(setup.config, { threads: 1, limits: setup.limits, ageModel: setup.ageModel });
  const inFlight = new Set<Promise<unknown>>();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      // Native work must end before the thread does: exiting under it aborts the whole process.
      void Promise.allSettled(inFlight).then(() => engine.close()).finally(() => port.close());
      return;
    }
    const work = engine.analyse(message.bytes, message.options)
      .then((result) => send({ type: 'result', id: message.id, result }, embeddingBuffers(result)))
      .catch((error: unknown) => send({ type: 'error', id: message.id, error: serialiseError(error) }));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  send({ type: 'ready', modelId: engine.modelId, dimension: engine.dimension });
} catch (error) {
  // Nothing is listening on the port now, so the thread ends by itself.
  send({ type: 'failed', error: serialiseError(error) });
}

function embeddingBuffers(result: AnalysedImage): ArrayBuffer[] {
  return [...new Set(result.faces.map((face) => face.embedding.buffer as ArrayBuffer))];
}
