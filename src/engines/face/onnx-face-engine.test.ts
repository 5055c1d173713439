import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Point } from '../../domain/types.ts';
import { isLikenessError } from '../../errors.ts';
import type { FaceEngine } from '../../ports/face-engine.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { cosineSimilarity } from './recogniser.ts';
import { fixture, PROJECT_DIR } from './test-fixtures.ts';

/** LFW threshold at a false accept rate of 1e-3 (bench/results/lfw.json), rounded up. */
const MATCH_THRESHOLD = 0.35;

describe('OnnxFaceEngine', () => {
  let engine: FaceEngine;
  const embed = async (name: string) => {
    const { faces } = await engine.analyse(fixture('faces', name));
    assert.equal(faces.length, 1, `${name}: one face`);
    return (faces[0] as (typeof faces)[number]).embedding;
  };

  before(async () => {
    engine = await OnnxFaceEngine.create(defaultFaceModelConfig(PROJECT_DIR));
  });
  after(() => engine.close());

  it('names its model and dimension', () => {
    assert.equal(engine.modelId, 'faceplugin-0.0.1/fr_feature');
    assert.equal(engine.dimension, 512);
  });

  it('finds one face with plausible landmarks, quality and a unit embedding', async () => {
    const { width, height, faces } = await engine.analyse(fixture('faces', 'Colin_Powell_0001.jpg'));
    assert.deepEqual([width, height], [250, 250]);
    const face = faces[0];
    assert.ok(face);
    assert.ok(face.detectionScore > 0.9);
    assert.equal(face.landmarks.length, 5);
    for (const [x, y] of face.landmarks) {
      assert.ok(x >= face.box.x && x <= face.box.x + face.box.width && y >= face.box.y && y <= face.box.y + face.box.height);
    }
    const [leftEye, rightEye, , leftMouth] = face.landmarks as [Point, Point, Point, Point, Point];
    assert.ok(leftEye[0] < rightEye[0], 'left eye on the image left');
    assert.ok(leftMouth[1] > leftEye[1], 'mouth below the eyes');
    assert.equal(face.embedding.length, 512);
    assert.ok(Math.abs(cosineSimilarity(face.embedding, face.embedding) - 1) < 1e-5);
    assert.ok(face.quality.size > 60 && face.quality.sharpness > 10);
    assert.ok(Math.abs(face.quality.roll) < 15 && Math.abs(face.quality.yaw) < 45);
  });

  it('matches one person across two photos and not to other people', async () => {
    const powell1 = await embed('Colin_Powell_0001.jpg');
    const powell2 = await embed('Colin_Powell_0002.jpg');
    const same = cosineSimilarity(powell1, powell2);
    assert.ok(same > MATCH_THRESHOLD, `same person scored ${same}`);
    for (const other of ['Tony_Blair_0002.jpg', 'Serena_Williams_0001.jpg', 'George_W_Bush_0001.jpg']) {
      const score = cosineSimilarity(powell1, await embed(other));
      assert.ok(score < MATCH_THRESHOLD, `${other} scored ${score}`);
    }
  });

  it('puts the largest face first, each matching its own person', async () => {
    const { faces } = await engine.analyse(fixture('group.jpg'));
    assert.equal(faces.length, 2);
    const [first, second] = faces as [(typeof faces)[0], (typeof faces)[0]];
    assert.ok(first.box.width * first.box.height > second.box.width * second.box.height);
    assert.ok(first.box.x < second.box.x, 'the larger face is the one drawn on the left');
    assert.ok(cosineSimilarity(first.embedding, await embed('Serena_Williams_0002.jpg')) > MATCH_THRESHOLD);
    assert.ok(cosineSimilarity(second.embedding, await embed('George_W_Bush_0002.jpg')) > MATCH_THRESHOLD);
    const [only] = (await engine.analyse(fixture('group.jpg'), { maxFaces: 1 })).faces;
    assert.deepEqual(only?.box, first.box);
  });

  it('finds no face in a landscape, unless told where to look', async () => {
    assert.equal((await engine.analyse(fixture('bad', 'no-face.jpg'))).faces.length, 0);
    const fallbackBox = { x: 100, y: 60, width: 110, height: 110 };
    const { faces } = await engine.analyse(fixture('bad', 'no-face.jpg'), { fallbackBox });
    assert.equal(faces.length, 1);
    assert.equal(faces[0]?.detectionScore, 0);
  });

  it('reports the faces of a large photo, decoded at reduced size, in the photo\'s own pixels', async () => {
    const bytes = fixture('faces', 'Colin_Powell_0001.jpg');
    const small = (await engine.analyse(bytes)).faces[0];
    const large = await sharp(bytes).resize(4000, 4000, { kernel: 'cubic' }).jpeg({ quality: 95 }).toBuffer();
    const { width, height, faces } = await engine.analyse(large);
    assert.deepEqual([width, height], [4000, 4000]);
    assert.equal(faces.length, 1);
    const face = faces[0];
    assert.ok(small && face);
    const scale = 4000 / 250;
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      assert.ok(Math.abs(face.box[key] / scale - small.box[key]) < 3, `box ${key}: ${face.box[key]} against ${small.box[key]} x ${scale}`);
    }
    face.landmarks.forEach(([x, y], i) => {
      const [sx, sy] = small.landmarks[i] as Point;
      assert.ok(Math.hypot(x / scale - sx, y / scale - sy) < 3, `landmark ${i}`);
    });
    assert.ok(face.quality.size > 10 * small.quality.size);
    assert.ok(cosineSimilarity(face.embedding, small.embedding) > 0.9);
  });

  it('throws the decode errors for bad input', async () => {
    await assert.rejects(engine.analyse(fixture('bad', 'truncated.jpg')), (e) => isLikenessError(e, 'LIKENESS_CORRUPT_IMAGE'));
  });
});
