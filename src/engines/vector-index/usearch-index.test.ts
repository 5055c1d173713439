import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isLikenessError } from '../../errors.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { unitVectors } from './test-vectors.ts';
import { UsearchIndex } from './usearch-index.ts';
import { vectorIndexContract } from './vector-index.contract.ts';

for (const quantisation of ['f32', 'f16', 'i8'] as const) {
  vectorIndexContract(`UsearchIndex ${quantisation}`, {
    create: (dimension) => new UsearchIndex({ dimension, quantisation, threads: 2 }),
    load: (path, options) => UsearchIndex.load(path, options),
  });
}
vectorIndexContract('UsearchIndex view', {
  create: (dimension) => new UsearchIndex({ dimension, threads: 2 }),
  load: (path, options) => UsearchIndex.view(path, options),
});

describe('UsearchIndex', () => {
  const D = 48;
  const vectors = unitVectors(500, D, 8);
  const keys = vectors.map((_, i) => i * 10);

  it('reopens with the quantisation it was saved with and counts removed entries still held', () => {
    const path = join(tempDir(), 'g.usearch');
    const index = new UsearchIndex({ dimension: D, quantisation: 'i8', connectivity: 8 });
    index.add(keys, vectors);
    index.remove([0, 10]);
    assert.equal(index.garbage, 2);
    index.save(path);
    const loaded = UsearchIndex.load(path);
    assert.equal(loaded.quantisation, 'i8');
    assert.equal(loaded.dimension, D);
    assert.equal(loaded.garbage, 2);
    assert.equal(loaded.size, 498);
  });

  it('serves a memory-mapped view read-only, hiding removals until it is compacted', () => {
    const path = join(tempDir(), 'g.usearch');
    const index = new UsearchIndex({ dimension: D });
    index.add(keys, vectors);
    index.save(path);
    const view = UsearchIndex.view(path);
    assert.ok(view.readOnly);
    assert.throws(() => view.add([1], [vectors[0]!]), (e) => isLikenessError(e, 'LIKENESS_INTERNAL'));
    view.remove([30]);
    assert.equal(view.size, 499);
    assert.ok(!view.has(30));
    assert.ok(!view.search(vectors[3]!, 5).some((m) => m.key === 30));
    assert.equal(view.garbage, 1);
    assert.throws(() => view.save(join(tempDir(), 'copy.usearch')), /compacted/);
  });

  it('unmaps a viewed file when closed, not when the collector gets round to it', () => {
    const path = join(tempDir(), 'mapped.usearch');
    const index = new UsearchIndex({ dimension: D });
    index.add(keys, vectors);
    index.save(path);
    const mappings = () => readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.endsWith(path)).length;
    const view = UsearchIndex.view(path);
    assert.ok(mappings() > 0, 'the view maps its file');
    view.close();
    assert.equal(mappings(), 0);
    assert.throws(() => view.search(vectors[0]!, 1), /closed/);
    const again = UsearchIndex.view(path);
    assert.equal(again.search(vectors[3]!, 1)[0]?.key, 30, 'the file itself is untouched');
    again.close();
  });

  it('searches on more threads than it was built with', async () => {
    const index = new UsearchIndex({ dimension: D, threads: 1 });
    index.add(keys, vectors);
    index.threads = 2;
    index.add([7], [vectors[0]!]);
    const results = await index.searchBatch(vectors, 2);
    assert.equal(results.length, vectors.length);
    index.threads = 64;
    assert.ok(index.threads >= 1 && index.threads < 64, 'capped at the cores available');
  });

  it('widens or narrows its search between calls, without a rebuild', async () => {
    const gallery = unitVectors(3000, 32, 21);
    const probes = unitVectors(100, 32, 22);
    const exact = probes.map((p) => gallery.map((g, key) => ({ key, score: p.reduce((s, x, j) => s + x * g[j]!, 0) }))
      .sort((a, b) => b.score - a.score).slice(0, 10).map((m) => m.key));
    const index = new UsearchIndex({ dimension: 32, quantisation: 'f32', connectivity: 8, expansionAdd: 16, expansionSearch: 10, threads: 1 });
    index.add(gallery.map((_, i) => i), gallery);
    const recall = async () => {
      const found = await index.searchBatch(probes, 10);
      return found.reduce((n, ms, q) => n + ms.filter((m) => exact[q]!.includes(m.key)).length, 0) / (probes.length * 10);
    };
    const narrow = await recall();
    index.expansionSearch = 1000;
    const wide = await recall();
    assert.ok(wide > narrow, `ef 1000 recall ${wide} should beat ef 10 recall ${narrow}`);
    assert.ok(wide >= 0.99, `ef 1000 recall ${wide}`);
    assert.equal((await index.searchBatch(probes, 10))[0]!.length, 10, 'still k results, not ef');
    assert.throws(() => (index.expansionSearch = 0), (e) => isLikenessError(e, 'LIKENESS_BAD_INPUT'));
  });
});
