import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../src/config.ts';
import { fullApi, type FullApi } from '../helpers/full-api.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// A client a user would write against the generated types: it must compile under strict
// TypeScript, so the document has to type the multipart body, the result and the error.
const CLIENT = `
import createClient from 'openapi-fetch';
import type { paths } from './openapi.d.ts';

const asForm = (body: Record<string, string | number | Blob | Blob[] | undefined>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined) form.append(name, one instanceof Blob ? one : String(one));
    }
  }
  return form;
};

export async function search(baseUrl: string, key: string | null, photo: Blob) {
  const client = createClient<paths>({ baseUrl, headers: key ? { authorization: 'Bearer ' + key } : {} });
  const { data, error, response } = await client.POST('/v1/search', {
    body: { image: [photo], caseNumber: 'C-2024-17', purpose: 'typed client test' },
    bodySerializer: asForm,
  });
  if (error) return { status: response.status, code: error.code, candidates: [] };
  // One photo answers candidates; faces=all would answer one list per face (probes).
  if (!('candidates' in data)) throw new Error('expected the answer of a one-photo search');
  const candidates = data.candidates.map((c) => ({ faceId: c.faceId, score: c.score, path: c.image.path, source: c.source.name }));
  return { status: response.status, code: null, candidates };
}

export async function crop(baseUrl: string, key: string, faceId: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + key } });
  const { data, response } = await client.GET('/v1/faces/{id}/crop', { params: { path: { id: faceId } }, parseAs: 'blob' });
  return { type: response.headers.get('content-type'), bytes: new Uint8Array(await data!.arrayBuffer()) };
}
`;

interface SearchOutcome { status: number; code: string | null; candidates: Array<{ faceId: string; score: number; path: string | null; source: string }> }
interface TypedClient {
  search(baseUrl: string, key: string | null, photo: Blob): Promise<SearchOutcome>;
  crop(baseUrl: string, key: string, faceId: string): Promise<{ type: string | null; bytes: Uint8Array }>;
}

const BLOB = ts.factory.createTypeReferenceNode('Blob');
const probe = () => new Blob([readFileSync(join(PROJECT_ROOT, 'samples', 'probes', 'Colin_Powell_0009.jpg'))], { type: 'image/jpeg' });

describe('a client generated from /openapi.json', () => {
  let api: FullApi;
  let baseUrl: string;
  let key: string;
  let client: TypedClient;
  const dir = tempDir('likeness-openapi-client-');

  before(async () => {
    api = await fullApi(['Colin_Powell', 'Serena_Williams']);
    key = await api.keyFor('ivan', ['investigator']);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;

    const doc = await (await fetch(`${baseUrl}/openapi.json`)).json();
    // File parts are `format: binary`; in a browser or Node they are Blobs.
    const types = astToString(await openapiTS(doc, { transform: (schema) => (schema.format === 'binary' ? BLOB : undefined) }));
    writeFileSync(join(dir, 'openapi.d.ts'), types);
    writeFileSync(join(dir, 'search-client.ts'), CLIENT);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
    client = await import(join(dir, 'search-client.ts')) as TypedClient;
  });
  after(async () => api?.close());

  it('compiles a client against the generated types under strict TypeScript', () => {
    const program = ts.createProgram([join(dir, 'search-client.ts')], {
      strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true,
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });

  it('searches through the typed client and finds the person first', async () => {
    const outcome = await client.search(baseUrl, key, probe());
    assert.equal(outcome.status, 200);
    assert.ok(outcome.candidates.length > 0);
    assert.match(outcome.candidates[0]!.path ?? '', /Colin_Powell/);
    assert.equal(outcome.candidates[0]!.source, 'press');

    const crop = await client.crop(baseUrl, key, outcome.candidates[0]!.faceId);
    assert.equal(crop.type, 'image/jpeg');
    assert.deepEqual([...crop.bytes.subarray(0, 2)], [0xff, 0xd8]);
  });

  it('reads a refusal as the typed Error body', async () => {
    const outcome = await client.search(baseUrl, null, probe());
    assert.deepEqual({ status: outcome.status, code: outcome.code }, { status: 401, code: 'LIKENESS_UNAUTHENTICATED' });
  });
});
