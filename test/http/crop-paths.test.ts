import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { directoryImageFinder } from '../../src/repositories/files/directory-image-finder.ts';
import { apiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { fakeImage } from '../helpers/fake-face-engine.ts';

// docs/architecture.md, "Paths": a crop is cut only from a regular file inside the source's
// folder that is still the image ingested (issue 15, finding 3).
describe('HTTP crops: only from the file that was ingested, inside its folder', () => {
  let h: ApiHarness;
  let root: string;
  let folder: string;
  let outside: string;
  let faceId: string;

  before(async () => {
    h = await apiHarness();
    // Removed in after(): a folder made in a before() hook must outlive that hook.
    root = realpathSync(mkdtempSync(join(tmpdir(), 'likeness-crop-')));
    folder = join(root, 'album');
    outside = join(root, 'outside');
    mkdirSync(folder);
    mkdirSync(outside);
    writeFileSync(join(folder, 'a.png'), fakeImage(51));
    const declared = await h.app.inject({
      method: 'POST', url: '/v1/sources', headers: h.as.operator,
      payload: { name: 'album', kind: 'directory', uri: folder, legalBasis: 'consent', specialCategoryCondition: 'explicit-consent', jurisdictions: ['FR'], retentionDays: 30 },
    });
    assert.equal(declared.statusCode, 201, declared.body);
    await (await h.services.ingest()).ingest(await directoryImageFinder.list(folder), 'album', { actor: { actor: 'local:test', client: null } });
    faceId = (await h.store.faces.activeIdsBySource(declared.json().id))[0]!;
  });
  after(async () => {
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  const crop = () => h.app.inject({ method: 'GET', url: `/v1/faces/${faceId}/crop`, headers: h.as.investigator });
  /** Puts something else where the image was. */
  const replace = (make: (path: string) => void) => {
    const path = join(folder, 'a.png');
    unlinkSync(path);
    make(path);
  };

  it('cuts the crop of the file as ingested', async () => {
    const res = await crop();
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'image/jpeg');
  });

  it('refuses a file swapped for another photo: 409 LIKENESS_IMAGE_CHANGED', async () => {
    replace((path) => writeFileSync(path, fakeImage(52)));
    const res = await crop();
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'LIKENESS_IMAGE_CHANGED');
  });

  it('refuses a link to a copy outside the folder, though its bytes match', async () => {
    writeFileSync(join(outside, 'copy.png'), fakeImage(51));
    replace((path) => symlinkSync(join(outside, 'copy.png'), path));
    const res = await crop();
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'LIKENESS_PATH_REFUSED');
  });

  it('refuses a link to /dev/zero and to a secret, and a FIFO, without reading them', async () => {
    for (const make of [
      (path: string) => symlinkSync('/dev/zero', path),
      (path: string) => symlinkSync('/etc/shadow', path),
      (path: string) => execFileSync('mkfifo', [path]),
    ]) {
      replace(make);
      const res = await crop();
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().code, 'LIKENESS_PATH_REFUSED');
    }
  });

  it('cuts it again once the ingested file is back', async () => {
    replace((path) => writeFileSync(path, fakeImage(51)));
    assert.equal((await crop()).statusCode, 200);
  });
});
