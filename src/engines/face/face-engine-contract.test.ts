import { fakeBytes, fakeImage, FakeFaceEngine } from '../../../test/helpers/fake-face-engine.ts';
import { faceEngineContract, type FaceEngineSamples } from './face-engine.contract.ts';
import { FaceEnginePool } from './face-engine-pool.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { fixture, PROJECT_DIR } from './test-fixtures.ts';

// Three photos and two broken files from test/fixtures (see its README): a few seconds per engine.
const photos: FaceEngineSamples = {
  oneFace: fixture('faces', 'Tony_Blair_0002.jpg'),
  severalFaces: fixture('group.jpg'),
  noFace: fixture('bad', 'no-face.jpg'),
  notAnImage: fixture('bad', 'not-an-image.jpg'),
  corrupt: fixture('bad', 'corrupt.jpg'),
};
const models = defaultFaceModelConfig(PROJECT_DIR);

faceEngineContract('ONNX, in process', () => OnnxFaceEngine.create(models), photos);
// Two workers, so the images analysed at once go to different threads.
faceEngineContract('ONNX, worker pool', () => FaceEnginePool.create(models, { workers: 2 }), photos);
faceEngineContract('Fake', async () => new FakeFaceEngine(), {
  oneFace: fakeImage(1),
  severalFaces: fakeImage(2, 3),
  noFace: fakeImage(),
  notAnImage: Buffer.from('not an image at all'),
  corrupt: fakeBytes('garbled'),
});
