#!/usr/bin/env node
// The floor a one-shot `likeness search PHOTO` is measured against: plain JavaScript that starts
// node, loads the three models and embeds the largest face of one photo, nothing else.
//   node bench/bare-embed.mjs PHOTO
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const dir = new URL('../models/faceplugin-face-recognition-js-0.0.1/', import.meta.url);
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };
const [detector, landmarker, recogniser] = await Promise.all(
  ['fr_detect.onnx', 'fr_landmark.onnx', 'fr_feature.onnx'].map((f) => ort.InferenceSession.create(new URL(f, dir).pathname, options)),
);
const { data, info } = await sharp(readFileSync(process.argv[2])).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
const raw = { raw: { width: info.width, height: info.height, channels: 3 } };
const planar = (rgb, bgr) => {
  const plane = rgb.length / 3;
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[3 * i + (bgr ? 2 - c : c)] - 127) / 128;
  return out;
};
const small = await sharp(data, raw).resize(320, 240, { fit: 'fill' }).raw().toBuffer();
const out = await detector.run({ input: new ort.Tensor('float32', planar(small, false), [1, 3, 240, 320]) });
const scores = out.scores.data;
const boxes = out.boxes.data;
let best = -1;
for (let i = 0; i < scores.length / 2; i++) if (scores[2 * i + 1] > 0.65 && (best < 0 || scores[2 * i + 1] > scores[2 * best + 1])) best = i;
if (best < 0) throw new Error('no face');
const left = Math.max(0, Math.round(boxes[4 * best] * info.width));
const top = Math.max(0, Math.round(boxes[4 * best + 1] * info.height));
const box = { left, top, width: Math.min(info.width, Math.round(boxes[4 * best + 2] * info.width)) - left, height: Math.min(info.height, Math.round(boxes[4 * best + 3] * info.height)) - top };
const grey = await sharp(data, raw).extract(box).resize(64, 64, { fit: 'fill' }).greyscale().raw().toBuffer();
await landmarker.run({ input: new ort.Tensor('float32', Float32Array.from(grey, (v) => v / 256), [1, 1, 64, 64]) });
const crop = await sharp(data, raw).extract(box).resize(112, 112, { fit: 'fill' }).raw().toBuffer();
const embedding = (await recogniser.run({ input: new ort.Tensor('float32', planar(crop, true), [1, 3, 112, 112]) })).output.data;
console.log(`embedded one face: ${embedding.length} values`);
