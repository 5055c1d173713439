import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildLikeness, type Likeness } from '../../src/composition.ts';
import { loadConfig, PROJECT_ROOT } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { defaultPolicy } from '../../src/services/policy/policy.ts';
import { PLACEHOLDER_FMR_TABLE } from '../../src/repositories/files/placeholder-fmr-table.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
const face = (name: string) => readFileSync(join(FIXTURES, 'faces', name));
const bad = (name: string) => readFileSync(join(FIXTURES, 'bad', name));

// The API end to end over the real ONNX engine and the real fixture photographs.
describe('HTTP API with the real face engine', { skip: !existsSync(join(FIXTURES, 'faces', 'Colin_Powell_0001.jpg')) }, () => {
  let dir: string;
  let likeness: Likeness;
  let app: FastifyInstance;
  let operator: { authorization: string };
  let investigator: { authorization: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'likeness-real-api-'));
    likeness = await buildLikeness(loadConfig({ dataDir: dir, env: { LIKENESS_WORKERS: '1' } }), { create: true, overrides: { policy: { ...defaultPolicy(), clients: { ...defaultPolicy().clients, controller: 'police' } }, fmrTable: PLACEHOLDER_FMR_TABLE } });
    await likeness.catalogue.ensureGallery('default');
    const services = likeness;
    await services.accounts.addClient({ name: 'police', type: 'law-enforcement', jurisdiction: 'FR' }, 'test');
    await services.accounts.grantGallery('police', 'default', 'test');
    operator = { authorization: `Bearer ${(await services.accounts.addUser({ name: 'op', client: 'police', roles: ['operator'] }, 'test')).key}` };
    investigator = { authorization: `Bearer ${(await services.accounts.addUser({ name: 'iv', client: 'police', roles: ['investigator'] }, 'test')).key}` };
    app = await buildApp(services, { limits: { maxImageBytes: likeness.config.limits.maxImageBytes, maxFiles: 10 } });
    await app.inject({
      method: 'POST', url: '/v1/sources', headers: operator,
      payload: { name: 'press', kind: 'upload', uri: 'api', legalBasis: 'legitimate-interests', specialCategoryCondition: 'substantial-public-interest', jurisdictions: ['FR'], retentionDays: 30 },
    });
  });
  after(async () => {
    await app?.close();
    await likeness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (url: string, parts: Part[], headers: { authorization: string }) => {
    const body = multipart(parts);
    return app.inject({ method: 'POST', url, headers: { ...headers, ...body.headers }, payload: body.payload });
  };
  const justified: Part[] = [{ name: 'caseNumber', value: 'R-1' }, { name: 'purpose', value: 'test' }];

  it('uploads real photographs and finds the same person first', async () => {
    const names = ['Colin_Powell_0001.jpg', 'George_W_Bush_0001.jpg', 'Serena_Williams_0001.jpg', 'Tony_Blair_0002.jpg'];
    const res = await post('/v1/sources/press/images', names.map((n) => ({ name: 'images', filename: n, data: face(n) })), operator);
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(res.json().facesIndexed >= 4);
    const found = await post('/v1/search', [{ name: 'image', filename: 'p.jpg', data: face('Colin_Powell_0002.jpg') }, ...justified], investigator);
    assert.equal(found.statusCode, 200, found.body);
    const top = found.json().candidates[0];
    assert.ok(top, 'a candidate above the threshold');
    const colin = res.json().images[0].faces.map((f: { id: string }) => f.id);
    assert.ok(colin.includes(top.faceId));
    assert.ok(top.falseMatchRate < 0.01);
  });

  it('searches the face asked for in a group photo', async () => {
    const group = readFileSync(join(FIXTURES, 'group.jpg'));
    const res = await post('/v1/search', [{ name: 'image', filename: 'g.jpg', data: group }, ...justified], investigator);
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().probe.facesInImage > 1);
    const second = await post('/v1/search', [{ name: 'image', filename: 'g.jpg', data: group }, ...justified, { name: 'faceIndex', value: '1' }], investigator);
    assert.equal(second.json().probe.faceIndex, 1);
  });

  const refusals: Array<[string, string, number[], string[]]> = [
    ['not-an-image.jpg', 'a text file named .jpg', [415], ['LIKENESS_NOT_AN_IMAGE']],
    ['corrupt.jpg', 'a corrupt JPEG', [415, 422], ['LIKENESS_CORRUPT_IMAGE', 'LIKENESS_NOT_AN_IMAGE']],
    ['truncated.jpg', 'a truncated JPEG', [422], ['LIKENESS_CORRUPT_IMAGE']],
    ['tiny.png', 'a 1x1 image', [422], ['LIKENESS_IMAGE_TOO_SMALL', 'LIKENESS_NO_FACE']],
    ['bomb.png', 'a decompression bomb', [413], ['LIKENESS_IMAGE_TOO_LARGE']],
    ['no-face.jpg', 'a photo without a face', [422], ['LIKENESS_NO_FACE']],
  ];
  for (const [file, what, statuses, codes] of refusals) {
    it(`refuses ${what} as a probe with a stable 4xx code`, { skip: !existsSync(join(FIXTURES, 'bad', file)) }, async () => {
      const res = await post('/v1/search', [{ name: 'image', filename: file, data: bad(file) }, ...justified], investigator);
      assert.ok(statuses.includes(res.statusCode), `${res.statusCode} ${res.body}`);
      assert.ok(codes.includes(res.json().code), res.body);
    });
  }

  it('refuses an upload holding one bad file among good ones, indexing none of it', async () => {
    const before = await likeness.store.faces.countActive();
    const res = await post('/v1/sources/press/images', [
      { name: 'images', filename: 'ok.jpg', data: face('Tony_Blair_0003.jpg') },
      { name: 'images', filename: 'truncated.jpg', data: bad('truncated.jpg') },
    ], operator);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(await likeness.store.faces.countActive(), before);
  });
});
