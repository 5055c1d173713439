import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import { FaceEnginePool } from './face-engine-pool.ts';
import { defaultFaceModelConfig } from './model-config.ts';
import { OnnxFaceEngine } from './onnx-face-engine.ts';
import { fixture, PROJECT_DIR } from './test-fixtures.ts';

const config = defaultFaceModelConfig(PROJECT_DIR);

describe('FaceEnginePool', () => {
  let pool: FaceEnginePool;
  before(async () => {
    pool = await FaceEnginePool.create(config, { workers: 2 });
  });
  after(() => pool.close());

  it('gives the same faces and embeddings as the in-process engine', async () => {
    const local = await OnnxFaceEngine.create(config);
    try {
      for (const bytes of [fixture('group.jpg'), fixture('faces', 'Tony_Blair_0002.jpg')]) {
        const [pooled, direct] = await Promise.all([pool.analyse(bytes), local.analyse(bytes)]);
        assert.equal(pooled.faces.length, direct.faces.length);
        pooled.faces.forEach((face, i) => {
          const other = direct.faces[i];
          assert.ok(face.embedding instanceof Float32Array);
          assert.deepEqual(face.box, other?.box);
          assert.deepEqual(Array.from(face.embedding), Array.from(other?.embedding ?? []));
        });
      }
    } finally {
      await local.close();
    }
    assert.equal(pool.modelId, 'faceplugin-0.0.1/fr_feature');
    assert.equal(pool.dimension, 512);
  });

  it('leaves the caller its bytes', async () => {
    const bytes = fixture('faces', 'Colin_Powell_0001.jpg');
    await pool.analyse(bytes);
    assert.equal(bytes.byteLength, 7821);
  });

  it('re-creates errors with their codes and keeps working', async () => {
    const results = await Promise.allSettled([
      pool.analyse(fixture('bad', 'not-an-image.jpg')),
      pool.analyse(fixture('bad', 'bomb.png')),
      pool.analyse(fixture('bad', 'tiny.png')),
      pool.analyse(fixture('faces', 'Serena_Williams_0001.jpg')),
    ]);
    const codes = results.map((r) => (r.status === 'rejected' && isLikenessError(r.reason) ? r.reason.code : r.status));
    assert.deepEqual(codes, ['LIKENESS_NOT_AN_IMAGE', 'LIKENESS_IMAGE_TOO_LARGE', 'LIKENESS_IMAGE_TOO_SMALL', 'fulfilled']);
  });

  it('fails only the image a failing worker held, and replaces the worker', async () => {
    const pending = [
      pool.analyse(fixture('faces', 'George_W_Bush_0001.jpg')),
      pool.analyse(fixture('faces', 'George_W_Bush_0002.jpg')),
    ];
    const [victim] = slotsOf(pool);
    victim?.worker.emit('error', new Error('simulated crash'));
    const settled = await Promise.allSettled(pending);
    assert.deepEqual(settled.map((s) => s.status).sort(), ['fulfilled', 'rejected']);
    const rejected = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    assert.match(String(rejected.reason), /simulated crash/);
    await waitFor(() => pool.workers === 2);
    assert.equal((await pool.analyse(fixture('faces', 'Colin_Powell_0002.jpg'))).faces.length, 1);
  });

  it('replaces a worker that exits', async () => {
    const [victim] = slotsOf(pool);
    await victim?.worker.terminate();
    await waitFor(() => pool.workers === 2 && !slotsOf(pool).some((s) => s === victim));
    const results = await Promise.all([1, 2, 3].map((n) => pool.analyse(fixture('faces', `Colin_Powell_000${n}.jpg`))));
    assert.deepEqual(results.map((r) => r.faces.length), [1, 1, 1]);
  });

  it('refuses to start with a bad model, without leaving workers behind', async () => {
    const broken = defaultFaceModelConfig(PROJECT_DIR);
    broken.landmarks.sha256 = 'f'.repeat(64);
    await assert.rejects(FaceEnginePool.create(broken, { workers: 2 }), (e) => isLikenessError(e, 'LIKENESS_MODEL_INTEGRITY'));
  });

  it('when no worker can be restarted, fails every call with the reason instead of hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'likeness-models-'));
    const copied = defaultFaceModelConfig(PROJECT_DIR);
    for (const model of [copied.detector, copied.landmarks, copied.recogniser]) {
      const target = join(dir, basename(model.path));
      copyFileSync(model.path, target);
      model.path = target;
    }
    const fragile = await FaceEnginePool.create(copied, { workers: 1 });
    try {
      writeFileSync(copied.recogniser.path, 'tampered');
      const [only] = slotsOf(fragile);
      await only?.worker.terminate();
      await waitFor(() => fragile.workers === 0);
      const isIntegrity = (e: unknown) => isLikenessError(e, 'LIKENESS_MODEL_INTEGRITY');
      await waitFor(async () => fragile.analyse(fixture('faces', 'Colin_Powell_0001.jpg')).then(() => false, isIntegrity));
    } finally {
      await fragile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on close, finishes images in hand, fails queued ones, then refuses new ones', async () => {
    const small = await FaceEnginePool.create(config, { workers: 1, imagesPerWorker: 1 });
    const inHand = small.analyse(fixture('faces', 'Colin_Powell_0003.jpg'));
    const queued = assert.rejects(small.analyse(fixture('faces', 'Colin_Powell_0001.jpg')), /closed/);
    await small.close();
    assert.equal((await inHand).faces.length, 1);
    await queued;
    await assert.rejects(small.analyse(fixture('faces', 'Colin_Powell_0003.jpg')), /closed/);
    assert.equal(small.workers, 0);
  });
});

function slotsOf(pool: FaceEnginePool): { worker: Worker }[] {
  return [...(pool as unknown as { slots: Set<{ worker: Worker }> }).slots];
}

/**
 * Checks the condition until it holds, 50 ms apart; the pool offers no event to wait on. A count
 * of checks bounds the wait, not a deadline read off the clock: generous (a minute of pauses, more
 * than a worker's restart takes on a loaded machine) and the same however slow each check is.
 */
async function waitFor(condition: () => boolean | Promise<boolean>, checks = 1_200): Promise<void> {
  for (let check = 0; !(await condition()); check++) {
    if (check >= checks) throw new Error(`the condition did not hold after ${checks} checks: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
