import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { face, image, seeded, source } from '../repositories/contract-fixtures.ts';
import { SqliteStore } from '../repositories/sqlite/sqlite-store.ts';
import { AuditService } from './audit/audit-service.ts';
import { IngestCommitter, type PreparedImage } from './ingest-commit.ts';

const actor = { actor: 'local:operator', client: null };
const clock = { now: () => new Date('2026-01-02T00:00:00.000Z') };

async function setup() {
  const store = await seeded(() => SqliteStore.open(join(tempDir(), 'likeness.db'), { create: true }));
  const audit = new AuditService(store, clock);
  // No detached index: as on PostgreSQL, the committed rows are the index.
  return { store, audit, committer: new IngestCommitter(store, audit, {}, [], source, actor) };
}

const prepared = (id: string, sha256: string, faces: number): PreparedImage => ({
  image: image(id, sha256),
  faces: Array.from({ length: faces }, (_, n) => face(`${id}-f${n}`, id, n)),
});

async function ingestEntries(audit: AuditService) {
  const entries = await audit.list({ action: 'ingest.image', limit: 100 });
  return new Map(entries.map((e) => [e.target, e.details as { sha256: string; faceIds: string[] }]));
}

describe('IngestCommitter', () => {
  it('stores a group of images, each with its faces and its own ingest.image audit entry naming them, on an intact chain', async () => {
    const { store, audit, committer } = await setup();
    const outcomes = await committer.commit([prepared('i1', 'aa', 2), prepared('i2', 'bb', 1), prepared('i3', 'cc', 0)]);
    assert.deepEqual(outcomes, [{ kind: 'stored', faces: 2 }, { kind: 'stored', faces: 1 }, { kind: 'stored', faces: 0 }]);
    assert.equal(await store.faces.countActive('g1'), 3);
    const entries = await ingestEntries(audit);
    assert.deepEqual(entries.get('i1'), { source: 'press', sha256: 'aa', faceIds: ['i1-f0', 'i1-f1'] });
    assert.deepEqual(entries.get('i2'), { source: 'press', sha256: 'bb', faceIds: ['i2-f0'] });
    assert.deepEqual(entries.get('i3'), { source: 'press', sha256: 'cc', faceIds: [] });
    assert.equal((await audit.verify()).intact, true);
    await store.close();
  });

  it('stores one of two copies of a file analysed in the same group and counts the other as a skip', async () => {
    const { store, audit, committer } = await setup();
    const outcomes = await committer.commit([prepared('i1', 'aa', 1), prepared('i2', 'aa', 1)]);
    assert.deepEqual(outcomes, [{ kind: 'stored', faces: 1 }, { kind: 'skipped' }]);
    assert.equal((await store.images.findBySha256('s1', 'aa'))?.id, 'i1');
    assert.deepEqual([...(await ingestEntries(audit)).keys()], ['i1']);
    await store.close();
  });

  it('an image the source came to hold meanwhile is a skip and does not keep the rest of its group out', async () => {
    const { store, audit, committer } = await setup();
    await committer.commit([prepared('i0', 'bb', 1)]);
    const outcomes = await committer.commit([prepared('i1', 'aa', 1), prepared('i2', 'bb', 1), prepared('i3', 'cc', 1)]);
    assert.deepEqual(outcomes, [{ kind: 'stored', faces: 1 }, { kind: 'skipped' }, { kind: 'stored', faces: 1 }]);
    assert.equal(await store.faces.countActive('g1'), 3);
    assert.deepEqual([...(await ingestEntries(audit)).keys()].sort(), ['i0', 'i1', 'i3']);
    assert.equal((await audit.verify()).intact, true);
    await store.close();
  });

  it('an image the store refuses fails alone, with neither its rows nor an audit entry, and the others are stored', async () => {
    const { store, audit, committer } = await setup();
    await committer.commit([prepared('i0', 'zz', 1)]);
    // A face id already taken: the store refuses the image whole.
    const clash: PreparedImage = { image: image('i2', 'bb'), faces: [face('i2-f0', 'i2', 0), face('i0-f0', 'i2', 1)] };
    const outcomes = await committer.commit([prepared('i1', 'aa', 1), clash, prepared('i3', 'cc', 1)]);
    assert.equal(outcomes[0]?.kind, 'stored');
    assert.equal(outcomes[1]?.kind, 'failed');
    assert.equal(outcomes[2]?.kind, 'stored');
    assert.equal(await store.images.findBySha256('s1', 'bb'), undefined);
    assert.deepEqual([...(await ingestEntries(audit)).keys()].sort(), ['i0', 'i1', 'i3']);
    assert.equal((await audit.verify()).intact, true);
    await store.close();
  });
});
