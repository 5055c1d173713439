// The floor the engine is measured against: the same three models run on the same images by
// the plainest script that decodes, detects, finds landmarks and embeds every face, with
// nothing around it (no alignment, no quality, no store, no index, no threads). One process
// per core, started by model-floor.ts, which hands each its share of the files.
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../../src/config.ts';
import { defaultFaceModelConfig } from '../../src/engines/face/model-config.ts';

export type ToFloorProcess = { type: 'go'; files: string[] };
export type FromFloorProcess = { type: 'ready' } | { type: 'done'; images: number; faces: number; failed: number; milliseconds: number; cpuMilliseconds: number };

const config = defaultFaceModelConfig(PROJECT_ROOT);
const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };
const [detector, landmarker, recogniser] = await Promise.all(
  [config.detector.path, config.landmarks.path, config.recogniser.path].map((path) => ort.InferenceSession.create(path, options)),
) as [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
const send = (message: FromFloorProcess) => process.send?.(message);

process.on('message', (message: ToFloorProcess) => {
  if (message.type !== 'go') return;
  void run(message.files).then((done) => {
    send(done);
    process.disconnect();
  });
});
send({ type: 'ready' });

async function run(files: string[]): Promise<FromFloorProcess> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let faces = 0;
  let failed = 0;
  for (const file of files) {
    try {
      faces += await embedAll(await readFile(file));
    } catch {
      failed++;
    }
  }
  const used = process.cpuUsage(cpu);
  return { type: 'done', images: files.length, faces, failed, milliseconds: performance.now() - started, cpuMilliseconds: (used.user + used.system) / 1000 };
}

async function embedAll(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: 3 as const } };
  const { inputWidth: w, inputHeight: h } = config.detector;
  const small = await sharp(data, raw).resize(w, h, { fit: 'fill' }).raw().toBuffer();
  const out = await detector.run({ input: new ort.Tensor('float32', planar(small, 127, 128, false), [1, 3, h, w]) });
  const boxes = faceBoxes(out.scores!.data as Float32Array, out.boxes!.data as Float32Array, info.width, info.height);
  for (const box of boxes) {
    const grey = await sharp(data, raw).extract(box).resize(64, 64, { fit: 'fill' }).greyscale().raw().toBuffer();
    await landmarker.run({ input: new ort.Tensor('float32', Float32Array.from(grey, (v) => v / 256), [1, 1, 64, 64]) });
    const crop = await sharp(data, raw).extract(box).resize(112, 112, { fit: 'fill' }).raw().toBuffer();
    await recogniser.run({ input: new ort.Tensor('float32', planar(crop, 127, 128, true), [1, 3, 112, 112]) });
  }
  return boxes.length;
}

function planar(rgb: Buffer, mean: number, scale: number, bgr: boolean): Float32Array {
  const plane = rgb.length / 3;
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[3 * i + (bgr ? 2 - c : c)]! - mean) / scale;
  }
  return out;
}

/** Boxes over the score threshold, greedy overlap suppression, as whole-pixel regions. */
function faceBoxes(scores: Float32Array, boxes: Float32Array, width: number, height: number) {
  const found: { x1: number; y1: number; x2: number; y2: number; score: number }[] = [];
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[2 * i + 1]!;
    if (score > config.detector.scoreThreshold) {
      found.push({ x1: boxes[4 * i]!, y1: boxes[4 * i + 1]!, x2: boxes[4 * i + 2]!, y2: boxes[4 * i + 3]!, score });
    }
  }
  found.sort((a, b) => b.score - a.score);
  const kept: typeof found = [];
  for (const b of found) {
    const overlaps = kept.some((k) => {
      const iw = Math.min(k.x2, b.x2) - Math.max(k.x1, b.x1);
      const ih = Math.min(k.y2, b.y2) - Math.max(k.y1, b.y1);
      if (iw <= 0 || ih <= 0) return false;
      const inter = iw * ih;
      return inter / ((k.x2 - k.x1) * (k.y2 - k.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter) > config.detector.nmsIoU;
    });
    if (!overlaps) kept.push(b);
  }
  return kept.flatMap((b) => {
    const left = Math.max(0, Math.round(b.x1 * width));
    const top = Math.max(0, Math.round(b.y1 * height));
    const right = Math.min(width, Math.round(b.x2 * width));
    const bottom = Math.min(height, Math.round(b.y2 * height));
    return right - left >= 1 && bottom - top >= 1 ? [{ left, top, width: right - left, height: bottom - top }] : [];
  });
}
