import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeFaceEngine, fakeImage } from '../../../test/helpers/fake-face-engine.ts';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import type { Principal } from '../../domain/accounts.ts';
import type { AnalysedImage, AnalyseOptions } from '../../ports/face-engine.ts';
import type { GalleryIndexes } from '../../ports/gallery-indexes.ts';
import { randomIds } from '../../ports/ids.ts';
import { SqliteStore } from '../../repositories/sqlite/sqlite-store.ts';
import { AuditService } from '../audit/audit-service.ts';
import { CatalogueService } from '../catalogue-service.ts';
import { PolicyCollectionGate } from '../collection/policy-collection-gate.ts';
import { defaultPolicy } from '../policy/policy.ts';
import { PolicyService } from '../policy/policy-service.ts';
import { UploadService } from './upload-service.ts';

const clock = { now: () => new Date('2026-06-01T00:00:00Z') };
const at = clock.now().toISOString();
const who: Principal = {
  user: { id: 'u1', name: 'ops', clientId: 'c1', roles: ['operator'], createdAt: at },
  client: { id: 'c1', name: 'agency', type: 'government', jurisdiction: 'US', createdAt: at },
  keyPrefix: 'lk_test',
};

/** The engine of the face workers, where the fingerprint and the ages are made from the pixels decoded. */
class WorkerSideEngine extends FakeFaceEngine {
  readonly asked: AnalyseOptions[] = [];

  override async analyse(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<AnalysedImage> {
    this.asked.push(options);
    const analysed = await super.analyse(bytes, options);
    if (options.estimateAges) for (const face of analysed.faces) face.estimatedAge = 40;
    return options.perceptualHash ? { ...analysed, perceptualHash: '0123456789abcdef' } : analysed;
  }
}

const onTheRequestThread = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} on the thread that answers requests`);
};

describe('UploadService', () => {
  it('asks the engine once per image for the faces, the perceptual hash and the ages, and decodes nothing itself', async () => {
    const store = await SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true });
    const catalogue = new CatalogueService(store, clock, randomIds, 1095);
    await catalogue.declareSource({
      name: 'press', kind: 'upload', uri: 'upload:press', legalBasis: 'legitimate-interests', jurisdictions: ['US'], retentionDays: 30,
      specialCategoryCondition: 'archiving-research-statistics',
    });
    const engine = new WorkerSideEngine();
    // The policy keeps minors out, so every face needs an age; the gate's own estimator would decode on this thread.
    const gate = new PolicyCollectionGate(new PolicyService(defaultPolicy(), clock), 'policy-sha', { modelId: 'age-1', ageOf: onTheRequestThread('an age estimated') });
    const uploads = new UploadService({
      engine: async () => engine, indexes: async () => ({}) as GalleryIndexes, store, catalogue, audit: new AuditService(store, clock),
      images: { perceptualHash: onTheRequestThread('a perceptual hash'), cropFace: onTheRequestThread('a face cut') },
      clock, ids: randomIds, gates: async () => [gate],
    });

    const results = await uploads.upload(who, 'press', [{ filename: 'a.png', bytes: fakeImage(1) }, { filename: 'b.png', bytes: fakeImage(2, 3) }]);

    assert.deepEqual(results.map((r) => [r.status, r.faces.length]), [['ingested', 1], ['ingested', 2]]);
    assert.equal(engine.analysed, 2);
    assert.deepEqual(engine.asked, [{ perceptualHash: true, estimateAges: true }, { perceptualHash: true, estimateAges: true }]);
    assert.equal((await store.images.findBySha256((await catalogue.sourceByName('press')).id, results[0]!.sha256))?.perceptualHash, '0123456789abcdef');
    await store.close();
  });
});
