import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/temp-dir.ts';
import { confinedFiles } from './confined-files.ts';
import { confinedImageFinder, readImageFile } from './directory-image-finder.ts';

/** A declared folder with one image, and a folder outside it with a secret. */
function layout() {
  const root = realpathSync(tempDir());
  const folder = join(root, 'declared');
  const outside = join(root, 'outside');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(folder, 'sub', 'a.jpg'), 'inside');
  writeFileSync(join(outside, 'b.jpg'), 'outside');
  return { folder, outside };
}

describe('confinedFiles: nothing is read whose real path leaves the folder, or that is not a regular file', () => {
  it('reads a regular file inside the folder', async () => {
    const { folder } = layout();
    assert.equal(Buffer.from(await confinedFiles.read(folder, join(folder, 'sub', 'a.jpg'), 100)).toString(), 'inside');
  });

  it('refuses a link inside the folder that points outside it', async () => {
    const { folder, outside } = layout();
    symlinkSync(join(outside, 'b.jpg'), join(folder, 'link.jpg'));
    await assert.rejects(confinedFiles.read(folder, join(folder, 'link.jpg'), 100), { code: 'LIKENESS_PATH_REFUSED', details: { reason: 'outside' } });
  });

  it('refuses a path that climbs out with ..', async () => {
    const { folder } = layout();
    await assert.rejects(confinedFiles.read(folder, join(folder, '..', 'outside', 'b.jpg'), 100), { code: 'LIKENESS_PATH_REFUSED' });
  });

  it('refuses a link to /dev/zero without reading it, and a FIFO inside the folder without waiting on it', async () => {
    const { folder } = layout();
    symlinkSync('/dev/zero', join(folder, 'zero.jpg'));
    await assert.rejects(confinedFiles.read(folder, join(folder, 'zero.jpg'), 100), { code: 'LIKENESS_PATH_REFUSED' });
    execFileSync('mkfifo', [join(folder, 'pipe.jpg')]);
    await assert.rejects(confinedFiles.read(folder, join(folder, 'pipe.jpg'), 100), { code: 'LIKENESS_PATH_REFUSED', details: { reason: 'not-a-file' } });
  });

  it('refuses a folder of the path that was swapped for a link outside', async () => {
    const { folder, outside } = layout();
    renameSync(join(folder, 'sub'), join(folder, 'old'));
    symlinkSync(outside, join(folder, 'sub'));
    writeFileSync(join(outside, 'a.jpg'), 'someone else');
    await assert.rejects(confinedFiles.read(folder, join(folder, 'sub', 'a.jpg'), 100), { code: 'LIKENESS_PATH_REFUSED' });
  });

  it('reads no further than the limit', async () => {
    const { folder } = layout();
    await assert.rejects(confinedFiles.read(folder, join(folder, 'sub', 'a.jpg'), 3), { code: 'LIKENESS_IMAGE_TOO_LARGE' });
    await assert.rejects(readImageFile('/dev/zero', 10).read(), { code: 'LIKENESS_PATH_REFUSED' });
  });

  it('says a file that is gone is not found', async () => {
    const { folder } = layout();
    await assert.rejects(confinedFiles.read(folder, join(folder, 'nope.jpg'), 100), { code: 'LIKENESS_FILE_NOT_FOUND' });
  });

  it('resolves a declared folder to its real path, and refuses one that is missing or a file', async () => {
    const { folder, outside } = layout();
    symlinkSync(outside, join(folder, 'elsewhere'));
    assert.equal(await confinedFiles.resolveFolder(join(folder, 'elsewhere')), outside);
    assert.equal(await confinedFiles.resolveFolder(join(folder, 'sub', '..')), folder);
    await assert.rejects(confinedFiles.resolveFolder(join(folder, 'missing')), { code: 'LIKENESS_SOURCE_INVALID' });
    await assert.rejects(confinedFiles.resolveFolder(join(folder, 'sub', 'a.jpg')), { code: 'LIKENESS_SOURCE_INVALID' });
  });
});

describe('confinedImageFinder', () => {
  it('refuses a folder that is a link leaving the declared folder, whole', async () => {
    const { folder, outside } = layout();
    symlinkSync(outside, join(folder, 'link'));
    await assert.rejects(confinedImageFinder(folder).list(join(folder, 'link')), { code: 'LIKENESS_PATH_REFUSED' });
  });

  it('offers the links it finds, and reading the one that leaves refuses it', async () => {
    const { folder, outside } = layout();
    symlinkSync(join(outside, 'b.jpg'), join(folder, 'link.jpg'));
    const files = await confinedImageFinder(folder).list(folder);
    assert.deepEqual(files.map((f) => f.path), [join(folder, 'link.jpg'), join(folder, 'sub', 'a.jpg')]);
    await assert.rejects(files[0]!.read(), { code: 'LIKENESS_PATH_REFUSED' });
    assert.equal(Buffer.from(await files[1]!.read()).toString(), 'inside');
  });
});
