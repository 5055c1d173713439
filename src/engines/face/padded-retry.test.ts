import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../../config.ts';
import { decodeImage } from './decode.ts';
import { detectFaces, inputFit } from './detector.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { inPhoto, padToAspect } from './padded-retry.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');

/** A grey 92x112 close-up of a fixture's face, as ID photos are cropped. */
const closeUp = (file: string) => sharp(readFileSync(join(FACES, file))).extract({ left: 80, top: 66, width: 90, height: 110 })
  .resize(92, 112, { fit: 'fill' }).greyscale().jpeg({ quality: 90 }).toBuffer();
/** Closer still, brows to lips: a face the detector alone misses even at its own shape. */
const extremeCloseUp = (file: string) => sharp(readFileSync(join(FACES, file))).extract({ left: 92, top: 80, width: 66, height: 80 })
  .resize(92, 112, { fit: 'fill' }).greyscale().jpeg({ quality: 90 }).toBuffer();

describe('padded retry', () => {
  it('puts the photo in the middle of a canvas of the detector\'s shape, and maps faces back', () => {
    const photo = { width: 4, height: 6, rgb: new Uint8Array(4 * 6 * 3).fill(200) };
    const { image, offset } = padToAspect(photo, 0.5, 4 / 3);
    assert.equal(image.width / image.height, 4 / 3);
    assert.ok(image.height >= 12);
    assert.equal(image.rgb[((offset.y + 2) * image.width + offset.x + 1) * 3], 200);
    const face = {
      box: { x: offset.x - 1, y: offset.y + 1, width: 3, height: 3 }, detectionScore: 0.9, landmarks: [[offset.x + 1, offset.y + 2]] as [number, number][],
      quality: { size: 3, detectionScore: 0.9, sharpness: 1, yaw: 0, roll: 0 }, embedding: new Float32Array(1),
    };
    const back = inPhoto(face, offset, photo);
    assert.deepEqual(back.box, { x: 0, y: 1, width: 2, height: 3 });
    assert.deepEqual(back.landmarks, [[1, 2]]);
  });

  it('gives the detector a portrait photo at its input\'s height, padded at the sides, and stretches square and landscape photos', () => {
    assert.deepEqual(inputFit(92, 112, 320, 240), { width: 197, left: 61 });
    assert.deepEqual(inputFit(250, 250, 320, 240), { width: 320, left: 0 });
    assert.deepEqual(inputFit(640, 360, 320, 240), { width: 320, left: 0 });
  });

  describe('on tight close-ups', () => {
    let engine: OnnxFaceEngine;
    before(async () => { engine = await OnnxFaceEngine.create(defaultFaceModelConfig(PROJECT_ROOT)); });
    after(() => engine.close());

    it('finds the face the detector alone misses, with its box inside the photo', async () => {
      const config = defaultFaceModelConfig(PROJECT_ROOT);
      const { InferenceSession } = await import('onnxruntime-node');
      const detector = await InferenceSession.create(config.detector.path);
      let missedAsIs = 0;
      for (const file of readdirSync(FACES)) {
        const bytes = await extremeCloseUp(file);
        if ((await detectFaces(detector, config.detector, await decodeImage(bytes))).length === 0) missedAsIs++;
        const { faces, width, height } = await engine.analyse(bytes);
        assert.equal(faces.length >= 1, true, `${file}: no face`);
        const { box } = faces[0]!;
        assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height, `${file}: ${JSON.stringify(box)}`);
      }
      await detector.release();
      assert.ok(missedAsIs > 0, 'every close-up was found without the retry: the test shows nothing');
    });

    it('recognises the face of a close-up as the face of the photo it was cut from', async () => {
      const grey = (file: string) => sharp(readFileSync(join(FACES, file))).greyscale().jpeg({ quality: 90 }).toBuffer();
      for (const file of readdirSync(FACES)) {
        const [closer] = (await engine.analyse(await closeUp(file))).faces;
        const [whole] = (await engine.analyse(await grey(file))).faces;
        // One face, one photo: the score must stand far above any match threshold (0.41 at FMR 1e-4).
        assert.ok(dot(closer!.embedding, whole!.embedding) >= 0.7, `${file}: ${dot(closer!.embedding, whole!.embedding).toFixed(3)}`);
      }
    });
  });
});

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
