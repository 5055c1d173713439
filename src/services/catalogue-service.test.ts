import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../repositories/sqlite/sqlite-store.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { CatalogueService, type DeclareSourceInput } from './catalogue-service.ts';
import { systemClock } from '../ports/clock.ts';
import { randomIds } from '../ports/ids.ts';

const valid: DeclareSourceInput = {
  name: 'press-archive',
  kind: 'directory',
  uri: '/srv/press',
  legalBasis: 'legitimate-interests',
  jurisdictions: ['fr', 'US-IL'],
  retentionDays: 365,
};

async function catalogue() {
  const store = await SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true });
  return { store, service: new CatalogueService(store, systemClock, randomIds, 1095) };
}

describe('CatalogueService.declareSource', () => {
  it('stores a complete declaration in the default gallery, jurisdictions upper-cased', async () => {
    const { store, service } = await catalogue();
    const source = await service.declareSource(valid);
    const stored = await store.sources.findByName('press-archive');
    assert.deepEqual(stored, source);
    assert.deepEqual(source.jurisdictions, ['FR', 'US-IL']);
    assert.equal((await store.galleries.findById(source.galleryId))?.name, 'default');
    await store.close();
  });

  const refusals: Array<[string, Partial<DeclareSourceInput>, RegExp]> = [
    ['a legal basis outside GDPR Art. 6', { legalBasis: 'because-we-can' }, /legal basis/],
    ['no jurisdiction', { jurisdictions: [] }, /jurisdiction/],
    ['a malformed jurisdiction', { jurisdictions: ['France'] }, /ISO 3166/],
    ['zero retention', { retentionDays: 0 }, /Retention/],
    ['retention over the cap', { retentionDays: 1096 }, /1 to 1095/],
    ['an unknown kind', { kind: 'crawler' }, /kind/],
    ['an empty name', { name: '  ' }, /name/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const { store, service } = await catalogue();
      await assert.rejects(service.declareSource({ ...valid, ...change }), { code: 'LIKENESS_SOURCE_INVALID', message });
      assert.equal((await store.sources.list()).length, 0);
      await store.close();
    });
  }

  it('refuses a second source with the same name', async () => {
    const { store, service } = await catalogue();
    await service.declareSource(valid);
    await assert.rejects(service.declareSource(valid), { code: 'LIKENESS_CONFLICT' });
    await store.close();
  });

  it('names the missing source when asked for an undeclared one', async () => {
    const { store, service } = await catalogue();
    await assert.rejects(service.sourceByName('nowhere'), { code: 'LIKENESS_SOURCE_UNDECLARED', message: /nowhere/ });
    await store.close();
  });
});
