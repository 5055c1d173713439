import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewFace, Store } from './store.ts';
import type { Clock } from './clock.ts';
import type { GalleryIndexes, GalleryMatch } from './gallery-indexes.ts';

/** What a run of the contract works on: fresh indexes over a fresh, empty store. */
export interface GalleryIndexesSubject {
  store: Store;
  indexes: GalleryIndexes;
  /** New indexes over the same store (and files): what the next process to start opens. */
  reopen(): Promise<GalleryIndexes>;
}

export interface GalleryIndexesContractOptions {
  /** Empty indexes over an empty store for embeddings of `dimension`, on the clock given. */
  open(dimension: number, clock: Clock): Promise<GalleryIndexesSubject>;
  /** How far a score may sit from the exact cosine: the index's quantisation (i8, half precision). */
  scoreTolerance: number;
  /** What compactsCheaply answers for a gallery of a few dozen faces. */
  compactsCheaply: boolean;
}

const D = 32;
const at = '2026-01-01T00:00:00.000Z';
const HOUR = 3_600_000;

/** A unit vector per seed, the same everywhere: a face's embedding in these cases. */
function vector(seed: number): Float32Array {
  let state = (seed * 2654435761 + 1) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const v = Float32Array.from({ length: D }, () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** `v` moved towards another seed's vector: a second photo of the same face, cosine about 0.9. */
function secondPhoto(v: Float32Array, seed: number): Float32Array {
  const noise = vector(seed);
  const out = v.map((x, i) => x + 0.45 * noise[i]!);
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The behaviour every GalleryIndexes shows, whether it lives apart from the store (embedded index
 * files) or is part of it (PostgreSQL). The cases follow the callers' protocol: faces are
 * committed to the store, then handed to `detached.add` where there is one; they are deleted from
 * the store, then removed from the index.
 */
export function galleryIndexesContract(name: string, options: GalleryIndexesContractOptions): void {
  const setUp = async () => {
    let now = new Date(at);
    const clock: Clock = { now: () => now };
    const subject = await options.open(D, clock);
    const { store } = subject;
    let indexes = subject.indexes;
    for (const [gallery, gallerySource] of [['g1', 's1'], ['g2', 's2'], ['g3', 's3']] as const) {
      await store.galleries.create({ id: gallery, name: `gallery-${gallery}`, createdAt: at });
      await store.sources.create({
        id: gallerySource, name: `source-${gallerySource}`, galleryId: gallery, kind: 'directory', uri: `/srv/${gallery}`,
        legalBasis: 'consent', specialCategoryCondition: null, jurisdictions: ['FR'], retentionDays: 30, controller: null,
        status: 'active', createdAt: at,
      });
    }
    /** Vector key of each face, by gallery and seed. */
    const keys = new Map<string, number>();
    const keyOf = (gallery: string, seed: number) => {
      const key = keys.get(`${gallery}/${seed}`);
      assert.ok(key !== undefined, `no face of seed ${seed} in ${gallery}`);
      return key;
    };
    let images = 0;
    /** Commits one image holding a face per seed; `tell` false leaves the index untold, as another process would. */
    const commit = async (gallery: 'g1' | 'g2' | 'g3', seeds: readonly number[], tell = true) => {
      const imageId = `i${++images}`;
      const faces: NewFace[] = seeds.map((seed) => ({
        id: `${gallery}-f${seed}`, imageId, galleryId: gallery, box: { x: 0, y: 0, width: 100, height: 100 }, landmarks: [],
        quality: { size: 100, detectionScore: 0.99, sharpness: 50, yaw: 0, roll: 0 }, modelId: 'm', expiresAt: at,
        status: 'active', createdAt: at, embedding: vector(seed),
      }));
      const stored = await store.images.insertWithFaces({
        id: imageId, sourceId: `s${gallery.slice(1)}`, sha256: `sha-${imageId}`, perceptualHash: '0', path: null, url: null,
        pageUrl: null, width: 100, height: 100, collectedAt: at,
      }, faces);
      seeds.forEach((seed, i) => keys.set(`${gallery}/${seed}`, stored[i]!));
      if (tell) await indexes.detached?.add(gallery, stored, faces.map((f) => f.embedding));
    };
    /** Deletes faces from the store, then from the index. */
    const erase = async (gallery: string, seeds: readonly number[]) => {
      await store.faces.deleteByIds(seeds.map((seed) => `${gallery}-f${seed}`));
      await indexes.remove(gallery, seeds.map((seed) => keyOf(gallery, seed)));
    };
    const keysOf = (matches: readonly GalleryMatch[]) => matches.map((m) => m.key);
    const restart = async () => {
      await indexes.detached?.save();
      indexes.detached?.close();
      indexes = await subject.reopen();
      return indexes;
    };
    const tearDown = async () => {
      indexes.detached?.close();
      await store.close();
    };
    return {
      store, commit, erase, keyOf, keysOf, restart, tearDown,
      get indexes() { return indexes; },
      later: (ms: number) => (now = new Date(now.getTime() + ms)),
    };
  };

  describe(`${name}: GalleryIndexes contract`, () => {
    it('finds committed faces best first, each with its cosine to the query', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 30));
      for (const seed of [0, 7, 29]) {
        const query = vector(seed);
        const found = await t.indexes.search(['g1'], query, 10);
        assert.equal(found.length, 10);
        assert.equal(found[0]!.key, t.keyOf('g1', seed), 'a face finds itself first');
        assert.ok(Math.abs(found[0]!.score - 1) <= options.scoreTolerance, `score ${found[0]!.score}`);
        const bySeed = new Map(range(0, 30).map((s) => [t.keyOf('g1', s), s]));
        for (const m of found) {
          assert.equal(m.galleryId, 'g1');
          const expected = cosine(query, vector(bySeed.get(m.key)!));
          assert.ok(Math.abs(m.score - expected) <= options.scoreTolerance, `key ${m.key}: score ${m.score}, cosine ${expected}`);
        }
        for (let i = 1; i < found.length; i++) assert.ok(found[i - 1]!.score >= found[i]!.score, 'best first');
      }
      const probe = secondPhoto(vector(12), 1001);
      const [best] = await t.indexes.search(['g1'], probe, 3);
      assert.equal(best?.key, t.keyOf('g1', 12), 'a second photo of a face finds it first');
      assert.ok(Math.abs(best!.score - cosine(probe, vector(12))) <= options.scoreTolerance);
      assert.ok(best!.score < 0.99);
      await t.tearDown();
    });

    it('returns at most k matches, and the whole gallery when k exceeds it', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 25));
      await t.commit('g2', range(100, 110));
      assert.equal((await t.indexes.search(['g1'], vector(3), 1)).length, 1);
      assert.equal((await t.indexes.search(['g1'], vector(3), 5)).length, 5);
      assert.deepEqual(new Set(t.keysOf(await t.indexes.search(['g1'], vector(3), 100))), new Set(range(0, 25).map((s) => t.keyOf('g1', s))));
      assert.equal((await t.indexes.search(['g1', 'g2'], vector(3), 7)).length, 7);
      assert.equal((await t.indexes.search(['g1', 'g2'], vector(3), 100)).length, 35);
      assert.deepEqual(await t.indexes.search([], vector(3), 10), [], 'no gallery, no match');
      assert.deepEqual(await t.indexes.search(['g3'], vector(3), 10), [], 'an empty gallery has no match');
      await t.tearDown();
    });

    it('searches several galleries together, merging their best matches with the gallery of each', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 20));
      await t.commit('g2', range(100, 120));
      const [inSecond] = await t.indexes.search(['g1', 'g2'], vector(105), 3);
      assert.deepEqual([inSecond?.key, inSecond?.galleryId], [t.keyOf('g2', 105), 'g2']);
      const [inFirst] = await t.indexes.search(['g2', 'g1'], vector(5), 3);
      assert.deepEqual([inFirst?.key, inFirst?.galleryId], [t.keyOf('g1', 5), 'g1']);
      const all = await t.indexes.search(['g1', 'g2'], vector(5), 40);
      assert.equal(all.length, 40);
      for (const m of all) {
        const gallery = m.galleryId === 'g1' ? range(0, 20) : range(100, 120);
        assert.ok(gallery.some((s) => t.keyOf(m.galleryId, s) === m.key), `key ${m.key} is a face of ${m.galleryId}`);
      }
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.score >= all[i]!.score, 'best first across galleries');
      await t.tearDown();
    });

    it('never returns a removed face: not in the next search, not after a restart', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 20));
      await t.erase('g1', [3, 4, 15]);
      const removed = new Set([3, 4, 15].map((s) => t.keyOf('g1', s)));
      const returned = async () => {
        for (const seed of [3, 4, 15]) {
          const keys = t.keysOf(await t.indexes.search(['g1'], vector(seed), 20));
          assert.equal(keys.length, 17);
          assert.ok(!keys.some((k) => removed.has(k)), `seed ${seed}: ${keys.join(',')}`);
        }
      };
      await returned();
      assert.equal(await t.indexes.size('g1'), 17);
      await t.restart();
      await returned();
      assert.equal(await t.indexes.size('g1'), 17);
      assert.equal((await t.indexes.search(['g1'], vector(5), 1))[0]?.key, t.keyOf('g1', 5), 'the others are still found');
      await t.tearDown();
    });

    it('counts the searchable faces of each gallery', async () => {
      const t = await setUp();
      assert.equal(await t.indexes.size('g1'), 0);
      await t.commit('g1', range(0, 12));
      await t.commit('g1', range(12, 15));
      await t.commit('g2', range(100, 104));
      assert.deepEqual([await t.indexes.size('g1'), await t.indexes.size('g2'), await t.indexes.size('g3')], [15, 4, 0]);
      await t.erase('g1', [0, 1]);
      assert.deepEqual([await t.indexes.size('g1'), await t.indexes.size('g2')], [13, 4]);
      await t.restart();
      assert.deepEqual([await t.indexes.size('g1'), await t.indexes.size('g2'), await t.indexes.size('g3')], [13, 4, 0]);
      await t.tearDown();
    });

    it('compaction keeps the live faces and drops the removed ones', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 20));
      await t.commit('g2', range(100, 110));
      await t.erase('g1', range(0, 5));
      assert.equal(await t.indexes.compactsCheaply('g1'), options.compactsCheaply);
      assert.equal(await t.indexes.compact('g1'), 15);
      assert.equal(await t.indexes.size('g1'), 15);
      for (const seed of range(5, 20)) {
        assert.equal((await t.indexes.search(['g1'], vector(seed), 1))[0]?.key, t.keyOf('g1', seed), `live face ${seed} is found`);
      }
      const removed = new Set(range(0, 5).map((s) => t.keyOf('g1', s)));
      for (const seed of range(0, 5)) {
        assert.ok(!t.keysOf(await t.indexes.search(['g1'], vector(seed), 20)).some((k) => removed.has(k)));
      }
      assert.equal(await t.indexes.size('g2'), 10, 'the other gallery keeps its faces');
      assert.equal((await t.indexes.search(['g2'], vector(104), 1))[0]?.key, t.keyOf('g2', 104));
      await t.commit('g1', [20]);
      assert.equal((await t.indexes.search(['g1'], vector(20), 1))[0]?.key, t.keyOf('g1', 20), 'a compacted gallery takes new faces');
      await t.tearDown();
    });

    it('says when removals are due for compaction, by fraction or by age, and not once compacted', async () => {
      const t = await setUp();
      const policy = { maxPendingFraction: 0.1, maxPendingAgeMs: HOUR };
      await t.commit('g1', range(0, 20));
      await t.commit('g2', range(100, 120));
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), []);
      await t.erase('g1', [0]);
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), [], 'one in twenty is below a tenth');
      t.later(HOUR);
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), ['g1'], 'due once the first removal is an hour old');
      await t.indexes.compact('g1');
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), []);
      await t.erase('g2', [100, 101, 102]);
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), ['g2'], 'due once over a tenth is removed');
      await t.restart();
      assert.deepEqual(await t.indexes.dueForCompaction(['g1', 'g2'], policy), ['g2'], 'pending removals outlive the process');
      await t.tearDown();
    });

    it('rebuilds a gallery from the store, with faces the index was never told of', async () => {
      const t = await setUp();
      await t.commit('g1', range(0, 10));
      await t.commit('g1', range(10, 15), false);
      await t.erase('g1', [2, 12]);
      const progress: Array<[number, number]> = [];
      assert.equal(await t.indexes.rebuild('g1', (done, total) => progress.push([done, total])), 13);
      assert.deepEqual(progress.at(-1), [13, 13], 'progress ends at the whole gallery');
      assert.equal(await t.indexes.size('g1'), 13);
      for (const seed of [...range(0, 15)].filter((s) => s !== 2 && s !== 12)) {
        assert.equal((await t.indexes.search(['g1'], vector(seed), 1))[0]?.key, t.keyOf('g1', seed), `face ${seed} is found`);
      }
      for (const seed of [2, 12]) {
        assert.ok(!t.keysOf(await t.indexes.search(['g1'], vector(seed), 20)).includes(t.keyOf('g1', seed)), `removed face ${seed}`);
      }
      await t.tearDown();
    });

    it('keeps galleries apart: one gallery\'s faces, removals and compaction leave the others alone', async () => {
      const t = await setUp();
      // The same people in two galleries: identical embeddings under different keys.
      await t.commit('g1', range(0, 10));
      await t.commit('g2', range(0, 10));
      const only = async (gallery: 'g1' | 'g2', seed: number) => {
        const found = await t.indexes.search([gallery], vector(seed), 20);
        assert.equal(found.length, 10);
        assert.ok(found.every((m) => m.galleryId === gallery), `${gallery} answers with its own faces`);
        const own = new Set(range(0, 10).map((s) => t.keyOf(gallery, s)));
        assert.ok(found.every((m) => own.has(m.key)));
        return found;
      };
      await only('g1', 3);
      assert.equal((await only('g2', 3))[0]!.key, t.keyOf('g2', 3));
      await t.erase('g1', [3]);
      assert.ok(!t.keysOf(await t.indexes.search(['g1'], vector(3), 10)).includes(t.keyOf('g1', 3)));
      assert.equal((await only('g2', 3))[0]!.key, t.keyOf('g2', 3), 'a removal in one gallery hides nothing in another');
      await t.indexes.compact('g1');
      await t.indexes.rebuild('g2');
      assert.deepEqual([await t.indexes.size('g1'), await t.indexes.size('g2')], [9, 10]);
      assert.ok(!t.keysOf(await t.indexes.search(['g1'], vector(3), 10)).includes(t.keyOf('g1', 3)), 'rebuilding another gallery brings nothing back');
      const both = await t.indexes.search(['g1', 'g2'], vector(3), 2);
      assert.deepEqual([both[0]?.key, both[0]?.galleryId], [t.keyOf('g2', 3), 'g2'], 'over both, the face left in g2 is the best');
      assert.ok(both[1]!.score < 0.99, 'and the second best is someone else');
      await t.tearDown();
    });
  });
}
