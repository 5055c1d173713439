import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PROJECT_ROOT } from '../../src/config.ts';
import { defaultFaceModelConfig } from '../../src/engines/face/model-config.ts';
import { OnnxFaceEngine } from '../../src/engines/face/onnx-face-engine.ts';
import { mostProminent } from '../../src/services/searches/probe-choice.ts';

const FACES = join(PROJECT_ROOT, 'test', 'fixtures', 'faces');

/**
 * A crowd shot: a blurred head cut by the left edge of the frame, nearest the camera and so the
 * largest face, and the sharp subject near the middle.
 */
async function crowd(): Promise<Buffer> {
  const foreground = await sharp(readFileSync(join(FACES, 'Colin_Powell_0001.jpg'))).resize(460, 460)
    .extract({ left: 150, top: 0, width: 310, height: 460 }).blur(5).toBuffer();
  const subject = await sharp(readFileSync(join(FACES, 'Tony_Blair_0002.jpg'))).resize(300, 300).toBuffer();
  return sharp({ create: { width: 900, height: 560, channels: 3, background: { r: 120, g: 120, b: 120 } } })
    .composite([{ input: foreground, left: 0, top: 100 }, { input: subject, left: 300, top: 130 }]).jpeg({ quality: 90 }).toBuffer();
}

describe('the probe face of a crowd photo', () => {
  let engine: OnnxFaceEngine;
  before(async () => { engine = await OnnxFaceEngine.create(defaultFaceModelConfig(PROJECT_ROOT)); });
  after(() => engine.close());

  it('is the subject, not the largest face', async () => {
    const photo = await engine.analyse(await crowd());
    const blair = (await engine.analyse(readFileSync(join(FACES, 'Tony_Blair_0003.jpg')))).faces[0]!.embedding;
    const similarity = (i: number) => photo.faces[i]!.embedding.reduce((s, v, k) => s + v * blair[k]!, 0);
    assert.ok(photo.faces.length >= 2, `${photo.faces.length} face(s) found`);
    assert.ok(similarity(0) < 0.3, 'the largest face is the foreground head, not the subject');
    const chosen = mostProminent(photo.faces, photo.width, photo.height);
    assert.ok(similarity(chosen) > 0.41, `the chosen face scores ${similarity(chosen)} with another photo of the subject`);
  });
});
