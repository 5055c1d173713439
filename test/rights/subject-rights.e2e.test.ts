import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildLikeness, type Likeness, type Rights } from '../../src/composition.ts';
import { loadConfig, PROJECT_ROOT, type Config } from '../../src/config.ts';
import type { Principal } from '../../src/domain/accounts.ts';
import { backupAuditHead, replaceWithBackup, writeBackup } from '../../src/repositories/files/backup-files.ts';
import { directoryImageFinder } from '../../src/repositories/files/directory-image-finder.ts';
import { SqliteStore } from '../../src/repositories/sqlite/sqlite-store.ts';
import { isLikenessError } from '../../src/errors.ts';
import { carryOver, replayLedger } from '../../src/services/backup/ledger-replay.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { filesContaining, float32Bytes } from '../helpers/data-dir-scan.ts';

const AS_TEST = { actor: { actor: 'local:test', client: null } };

const GALLERY = join(PROJECT_ROOT, 'samples', 'gallery');
const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'faces', name));
const probe = (name: string) => readFileSync(join(PROJECT_ROOT, 'samples', 'probes', name));
const SUBJECT = 'George_W_Bush';
const DAY_MS = 86_400_000;

// Issue 5 end to end on real photographs: the real face and liveness models, the real store and indexes.
describe('the rights of a person in the gallery, end to end', { skip: !existsSync(GALLERY) }, () => {
  let root: string;
  let config: Config;
  let likeness: Likeness;
  let rights: Rights;
  let police: Principal;
  let press: Principal;
  let subjectFaceIds: string[];
  let subjectEmbeddings: Float32Array[];
  let backupDir: string;

  const open = async () => {
    likeness = await buildLikeness(config, { overrides: { fmrTable: PLACEHOLDER_FMR_TABLE } });
    rights = likeness.rights;
  };
  const close = async () => {
    await likeness.close();
  };
  const facesOfSubject = async () => {
    const ids: string[] = [];
    for (const g of await likeness.store.galleries.list()) {
      for await (const batch of likeness.store.faces.streamEmbeddings(g.id)) {
        const prov = await likeness.store.faces.provenanceByVectorKeys(batch.map((b) => b.vectorKey));
        ids.push(...prov.filter((p) => p.image.path?.includes(SUBJECT)).map((p) => p.face.id));
      }
    }
    return ids.sort();
  };
  const searchIds = async (photo: Buffer) => (await likeness.searches.search({ local: 'local:test' }, photo, { maxResults: 20, caseNumber: 'T-1', purpose: 'test' })).candidates.map((c) => c.faceId);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'likeness-rights-'));
    const photos = join(root, 'photos');
    cpSync(GALLERY, photos, { recursive: true });
    config = loadConfig({ dataDir: join(root, 'data'), env: { LIKENESS_WORKERS: '1' } });
    likeness = await buildLikeness(config, { create: true, overrides: { fmrTable: PLACEHOLDER_FMR_TABLE } });
    rights = likeness.rights;
    await likeness.catalogue.ensureGallery('default');
    await likeness.catalogue.declareSource({
      name: 'press', kind: 'directory', uri: photos, legalBasis: 'legitimate-interests', jurisdictions: ['DE'],
      retentionDays: 365, specialCategoryCondition: 'substantial-public-interest', controller: 'likeness test',
    });
    const summary = await (await likeness.ingest()).ingest(await directoryImageFinder.list(photos), 'press', AS_TEST);
    assert.equal(summary.failed, 0);

    const services = likeness;
    const principal = async (client: string, type: 'law-enforcement' | 'ngo') => {
      await services.accounts.addClient({ name: client, type, jurisdiction: 'DE' }, 'test');
      await services.accounts.grantGallery(client, 'default', 'test');
      const { key } = await services.accounts.addUser({ name: `${client}-user`, client, roles: ['investigator'] }, 'test');
      return services.authenticator.authenticate(key);
    };
    police = await principal('police', 'law-enforcement');
    press = await principal('press-watch', 'ngo');
    // The police look for the subject; an NGO looks for someone else.
    await services.searches.search(police, fixture('George_W_Bush_0002.jpg'), { caseNumber: 'C-1', purpose: 'test' });
    await services.searches.search(press, fixture('Serena_Williams_0001.jpg'), { caseNumber: 'N-1', purpose: 'test' });

    subjectFaceIds = await facesOfSubject();
    const records = await Promise.all(subjectFaceIds.map((id) => likeness.store.faces.findById(id)));
    subjectEmbeddings = (await likeness.store.faces.embeddingsByVectorKeys(records.map((f) => f!.vectorKey))).map((e) => e.embedding);
    backupDir = join(root, 'backup');
    await (await likeness.indexes()).detached?.save();
    await writeBackup(likeness.store, [], backupDir, new Date().toISOString());
  });
  after(async () => {
    await likeness?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('holds several photos of the subject to begin with', () => {
    assert.equal(subjectFaceIds.length, 4);
    assert.equal(subjectEmbeddings.length, 4);
  });

  it('answers an access request with a receipt only, and after approval reports exactly their faces and who saw them', async () => {
    const receipt = await rights.intake.file({
      kind: 'access', contact: 'subject@example.org', selfie: fixture('George_W_Bush_0001.jpg'), document: fixture('George_W_Bush_0002.jpg'), actor: 'anonymous',
    });
    assert.deepEqual(Object.keys(receipt).sort(), ['accessToken', 'dueAt', 'receivedAt', 'requestId', 'status']);
    const due = new Date(receipt.receivedAt);
    due.setUTCMonth(due.getUTCMonth() + 1);
    assert.equal(receipt.dueAt.slice(0, 10), due.toISOString().slice(0, 10));
    const before = await rights.requests.status(receipt.requestId, receipt.accessToken);
    assert.equal(before.report, undefined);

    const filed = await rights.requests.get(receipt.requestId);
    assert.equal(filed.verification.liveness.passed, true, `liveness ${filed.verification.liveness.score}`);
    assert.equal(filed.verification.document?.matched, true);
    assert.equal(filed.matches, null);

    await rights.requests.approve(receipt.requestId, { actor: 'dpo' });
    const report = await rights.requests.report(receipt.requestId);
    assert.deepEqual(report.faces.map((f) => f.faceId).sort(), subjectFaceIds);
    assert.ok(report.faces.every((f) => f.source.name === 'press' && f.source.legalBasis === 'legitimate-interests' && f.image.path?.includes(SUBJECT)));
    assert.deepEqual(report.recipients.map((r) => [r.client, r.clientType]), [['police', 'law-enforcement']]);
    assert.equal(report.suppression.templateKept, false);
    assert.equal(report.threshold.score, rights.strict.threshold);
    const after = await rights.requests.status(receipt.requestId, receipt.accessToken);
    assert.equal(after.report?.faces.length, 4);
    await assert.rejects(rights.requests.status(receipt.requestId, 'wrong-token-123'), { code: 'LIKENESS_NOT_FOUND' });
  });

  it('finds no face for a person who is not in the gallery', async () => {
    const receipt = await rights.intake.file({ kind: 'access', contact: 'other@example.org', selfie: probe('Vladimir_Putin_0001.jpg'), actor: 'anonymous' });
    const approved = await rights.requests.approve(receipt.requestId, { actor: 'dpo' }, { reason: 'test' });
    assert.deepEqual(approved.matches, []);
    assert.equal((await rights.requests.report(receipt.requestId)).faces.length, 0);
  });

  it('erases all their faces at once, and after compaction their embedding bytes are nowhere in the data directory', async () => {
    assert.ok((await searchIds(fixture('George_W_Bush_0002.jpg'))).some((id) => subjectFaceIds.includes(id)));
    for (const e of subjectEmbeddings) assert.ok(filesContaining(config.dataDir, float32Bytes(e)).length > 0, 'the test can see the bytes before');

    const receipt = await rights.intake.file({ kind: 'erasure', contact: 'subject@example.org', selfie: fixture('George_W_Bush_0001.jpg'), actor: 'anonymous' });
    await rights.requests.approve(receipt.requestId, { actor: 'dpo' });
    const started = performance.now();
    const outcome = await rights.requests.execute(receipt.requestId, { actor: 'dpo' });
    const physicalMs = performance.now() - started;
    assert.deepEqual([...outcome.erased].sort(), subjectFaceIds);
    assert.deepEqual((await searchIds(fixture('George_W_Bush_0002.jpg'))).filter((id) => subjectFaceIds.includes(id)), []);
    assert.deepEqual(await facesOfSubject(), []);
    for (const e of subjectEmbeddings) assert.deepEqual(filesContaining(config.dataDir, float32Bytes(e)), []);
    const ledger = await likeness.store.rights.ledger.list();
    assert.deepEqual(ledger.at(-1)!.faceIds.sort(), subjectFaceIds);
    assert.equal(ledger.at(-1)!.imageSha256.length, 4);
    console.log(`# erasure: invisible after ${outcome.invisibleAfterMs!.toFixed(1)} ms, physically gone after ${physicalMs.toFixed(1)} ms (threshold ${rights.strict.threshold.toFixed(4)} at FMR ${rights.strict.fmr})`);
  });

  it('stores nothing when their photos are ingested again, and counts the refusals', async () => {
    const again = join(root, 'photos', 'again');
    mkdirSync(again);
    cpSync(join(GALLERY, SUBJECT), again, { recursive: true });
    const summary = await (await likeness.ingest()).ingest(await directoryImageFinder.list(again), 'press', AS_TEST);
    assert.equal(summary.refusalsByRule['subject-suppressed'], 4);
    assert.equal(summary.faces, 0);
    assert.deepEqual(await facesOfSubject(), []);
  });

  it('does not bring them back when an older backup is restored', async () => {
    const head = backupAuditHead(backupDir);
    const carried = await carryOver(likeness.store, head);
    await close();
    replaceWithBackup(backupDir, config);
    const restored = await SqliteStore.open(config.storeFile);
    assert.equal((await restored.rights.ledger.list()).length, 0, 'the backup predates the erasure');
    await restored.close();
    await open();
    // A store whose chain ends anywhere but at the backup's head (another process wrote to it) is refused before anything is written back.
    await likeness.audit.record({ actor: 'local:other', client: null, action: 'search', target: 'elsewhere', details: {} });
    await assert.rejects(replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), carried, head),
      (e) => isLikenessError(e, 'LIKENESS_CONFLICT'));
    await close();
    replaceWithBackup(backupDir, config);
    await open();
    const outcome = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), carried, head);
    assert.equal(outcome.facesErasedAgain, 4);
    const again = await replayLedger(likeness.store, await likeness.faceRecords(), await likeness.indexes(), carried, head);
    assert.deepEqual([again.facesErasedAgain, again.suppressionEntriesRestored], [0, 0], 'run again, it writes nothing twice');
    assert.deepEqual(await facesOfSubject(), []);
    assert.deepEqual((await searchIds(fixture('George_W_Bush_0002.jpg'))).filter((id) => subjectFaceIds.includes(id)), []);
    for (const e of subjectEmbeddings) assert.deepEqual(filesContaining(config.dataDir, float32Bytes(e)), []);
    assert.ok(await likeness.suppression.size() >= 1);
  });

  it('sweeps a face past its retention date like an erasure', async () => {
    const shortLived = join(root, 'photos', 'short');
    mkdirSync(shortLived);
    cpSync(join(PROJECT_ROOT, 'samples', 'probes', 'Hugo_Chavez_0011.jpg'), join(shortLived, 'Hugo_Chavez_0011.jpg'));
    await likeness.catalogue.declareSource({
      name: 'short', kind: 'directory', uri: shortLived, legalBasis: 'legitimate-interests', jurisdictions: ['DE'],
      retentionDays: 1, specialCategoryCondition: 'substantial-public-interest',
    });
    const summary = await (await likeness.ingest()).ingest(await directoryImageFinder.list(shortLived), 'short', AS_TEST);
    assert.equal(summary.faces, 1);
    const before = await likeness.store.faces.countActive();
    const later = await buildLikeness(config, { overrides: { clock: { now: () => new Date(Date.now() + 2 * DAY_MS) }, fmrTable: PLACEHOLDER_FMR_TABLE } });
    const swept = await later.rights.retention.sweep('test');
    await later.close();
    assert.equal(swept.erased, 1);
    assert.equal(await likeness.store.faces.countActive(), before - 1);
    assert.equal((await likeness.store.rights.ledger.list()).at(-1)!.reason, 'retention');
  });
});
