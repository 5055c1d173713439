import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFace, lfwBenchSettings, productModelConfig } from './lfw-settings.ts';
import type { DetectedFace } from '../../src/ports/face-engine.ts';

const face = (x: number, side: number, detectionScore: number): DetectedFace => ({
  box: { x, y: 100, width: side, height: side }, detectionScore, landmarks: [], embedding: new Float32Array(1),
  quality: { size: side, detectionScore, sharpness: 100, yaw: 0, roll: 0 },
});

describe('bench:lfw settings', () => {
  it('measure the product\'s own configuration when no option is given', () => {
    const { config, faceChoice } = lfwBenchSettings({});
    assert.deepEqual(config, productModelConfig());
    assert.equal(config.recogniser.normalisation.channelOrder, 'bgr');
    assert.equal(faceChoice, 'prominent');
  });

  it('choose the face a search would choose', () => {
    // A large, doubtful face at the edge and a confident one in the middle: a search takes the middle one.
    const faces = [face(0, 200, 0.7), face(250, 150, 0.999)];
    assert.equal(chooseFace(faces, 640, 400, lfwBenchSettings({}).faceChoice), faces[1]);
  });

  it('say what departs from the product', () => {
    const { config, faceChoice } = lfwBenchSettings({ 'recogniser-order': 'rgb', flip: true, 'face-choice': 'central' });
    assert.equal(config.recogniser.normalisation.channelOrder, 'rgb');
    assert.equal(config.recogniser.flipAugment, true);
    assert.equal(faceChoice, 'central');
    assert.equal(productModelConfig().recogniser.normalisation.channelOrder, 'bgr');
  });
});
