import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathInSource } from './path-in-source.ts';

describe('pathInSource', () => {
  const press = { kind: 'directory' as const, uri: '/srv/photos/press' };

  it('shows a directory source\'s image relative to the declared folder', () => {
    assert.equal(pathInSource('/srv/photos/press/2024/Jane_Doe_0001.jpg', press), '2024/Jane_Doe_0001.jpg');
    assert.equal(pathInSource('/srv/photos/press/a.jpg', { ...press, uri: '/srv/photos/press/' }), 'a.jpg');
  });

  it('shows only the file name of a path outside the folder, and never the folder itself', () => {
    assert.equal(pathInSource('/etc/secret/x.jpg', press), 'x.jpg');
    assert.equal(pathInSource('/srv/photos/press-archive/x.jpg', press), 'x.jpg');
    assert.equal(pathInSource('/srv/photos/press', press), 'press');
  });

  it('leaves relative paths of uploads and missing paths as they are', () => {
    assert.equal(pathInSource('upload/a.jpg', press), 'upload/a.jpg');
    assert.equal(pathInSource(null, press), null);
    assert.equal(pathInSource('/var/lib/x/a.jpg', { kind: 'url-list', uri: 'https://example.org/list.txt' }), 'a.jpg');
  });
});
