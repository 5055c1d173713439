import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isLikenessError, type ErrorCode } from '../../errors.ts';
import type { AnalysedImage, FaceEngine } from '../../ports/face-engine.ts';

/** Images the engine under test understands: real photos for a real engine, its own kind for a fake. */
export interface FaceEngineSamples {
  /** One person's face. */
  oneFace: Uint8Array;
  /** Two faces or more, of different sizes. */
  severalFaces: Uint8Array;
  /** A valid image without a face. */
  noFace: Uint8Array;
  /** Bytes of no image format. */
  notAnImage: Uint8Array;
  /** An image whose data is broken (garbled or cut short). */
  corrupt: Uint8Array;
}

const area = (face: AnalysedImage['faces'][number]) => face.box.width * face.box.height;

/**
 * The behaviour every FaceEngine shows, whichever detector, recogniser or process runs it. The
 * engine is opened once for the suite (models take seconds to load) and closed by its last case.
 */
export function faceEngineContract(name: string, open: () => Promise<FaceEngine>, samples: FaceEngineSamples): void {
  describe(`${name}: FaceEngine contract`, () => {
    let engine: FaceEngine;
    let named: { modelId: string; dimension: number };

    before(async () => {
      engine = await open();
      named = { modelId: engine.modelId, dimension: engine.dimension };
    });
    after(() => engine?.close());

    it('names its model and gives embeddings of its dimension', async () => {
      assert.equal(typeof named.modelId, 'string');
      assert.ok(named.modelId.length > 0);
      assert.ok(Number.isInteger(named.dimension) && named.dimension > 0, `dimension ${named.dimension}`);
      const { faces } = await engine.analyse(samples.oneFace);
      assert.equal(faces.length, 1);
      assert.ok(faces[0]!.embedding instanceof Float32Array);
      assert.equal(faces[0]!.embedding.length, named.dimension);
    });

    it('describes every face: a unit embedding, a box inside the image, five landmarks, largest face first', async () => {
      const analysed = await engine.analyse(samples.severalFaces);
      const { width, height, faces } = analysed;
      assert.ok(width > 0 && height > 0);
      assert.ok(faces.length >= 2, `${faces.length} faces`);
      for (const [i, face] of faces.entries()) {
        const norm = Math.hypot(...face.embedding);
        assert.ok(Math.abs(norm - 1) < 1e-3, `face ${i}: norm ${norm}`);
        assert.equal(face.embedding.length, named.dimension);
        const { x, y, width: w, height: h } = face.box;
        assert.ok(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= width && y + h <= height, `face ${i}: box ${JSON.stringify(face.box)} in ${width}x${height}`);
        assert.equal(face.landmarks.length, 5);
        assert.ok(face.detectionScore >= 0 && face.detectionScore <= 1);
      }
      for (let i = 1; i < faces.length; i++) assert.ok(area(faces[i - 1]!) >= area(faces[i]!), 'largest face first');
      assert.notDeepEqual(Array.from(faces[0]!.embedding), Array.from(faces[1]!.embedding), 'two people, two embeddings');
    });

    it('keeps the largest faces when asked for fewer', async () => {
      const all = await engine.analyse(samples.severalFaces);
      const one = await engine.analyse(samples.severalFaces, { maxFaces: 1 });
      assert.equal(one.faces.length, 1);
      assert.deepEqual(one.faces[0]!.box, all.faces[0]!.box);
      assert.deepEqual(Array.from(one.faces[0]!.embedding), Array.from(all.faces[0]!.embedding));
    });

    it('answers an image without a face with no face, not an error', async () => {
      const analysed = await engine.analyse(samples.noFace);
      assert.deepEqual(analysed.faces, []);
      assert.ok(analysed.width > 0 && analysed.height > 0);
    });

    it('refuses what is not an image, or a broken one, with a stable code, and keeps working', async () => {
      const refusal = (code: ErrorCode) => (e: unknown) => isLikenessError(e, code);
      await assert.rejects(engine.analyse(samples.notAnImage), refusal('LIKENESS_NOT_AN_IMAGE'));
      await assert.rejects(engine.analyse(new Uint8Array(0)), refusal('LIKENESS_NOT_AN_IMAGE'));
      await assert.rejects(engine.analyse(samples.corrupt), refusal('LIKENESS_CORRUPT_IMAGE'));
      assert.equal((await engine.analyse(samples.oneFace)).faces.length, 1);
    });

    it('gives the same image the same faces and embeddings, one after the other or at once', async () => {
      const first = await engine.analyse(samples.oneFace);
      const again = await engine.analyse(samples.oneFace);
      const together = await Promise.all([engine.analyse(samples.severalFaces), engine.analyse(samples.severalFaces)]);
      const described = (a: AnalysedImage) => a.faces.map((f) => ({ box: f.box, embedding: Array.from(f.embedding) }));
      assert.deepEqual(described(again), described(first));
      assert.deepEqual(described(together[1]), described(together[0]));
    });

    // Last: the engine is closed from here on.
    it('keeps its model name and dimension, and may be closed twice', async () => {
      assert.deepEqual({ modelId: engine.modelId, dimension: engine.dimension }, named);
      await engine.close();
      await engine.close();
    });
  });
}
