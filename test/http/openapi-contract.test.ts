import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { fullApi, type FullApi } from '../helpers/full-api.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  servers?: Array<{ url: string }>;
  security?: unknown[];
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

// The document a client generator reads: it must describe what the server really does.
describe('OpenAPI contract', () => {
  let api: FullApi;
  let doc: Document;
  let operations: Array<{ method: string; path: string; op: Operation }>;

  before(async () => {
    api = await fullApi();
    const res = await api.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ method, path, op })));
  });
  after(async () => api?.close());

  it('is a valid OpenAPI 3 document with servers', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
    assert.ok(doc.servers && doc.servers.length > 0, 'servers is set');
    // The DPO desk and the subject door are part of it, so a client can be generated for them too.
    assert.ok(doc.paths['/v1/dpo/requests/{id}/approve']?.post);
    assert.ok(doc.paths['/v1/subject-requests/{id}']?.get);
    assert.ok(operations.length >= 30, `${operations.length} operations`);
  });

  it('gives every operation a unique operationId and a success response', () => {
    const ids = new Set<string>();
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${where} has an operationId`);
      assert.ok(!ids.has(op.operationId!), `${where}: operationId ${op.operationId} is used once`);
      ids.add(op.operationId!);
      const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      assert.equal(success.length, 1, `${where} declares its success response`);
      if (success[0] !== '204') assert.ok(op.responses[success[0]!]!.content, `${where}: its ${success[0]} has a body`);
    }
  });

  it('describes every error with the one named Error schema', () => {
    assert.deepEqual(Object.keys(doc.components.schemas).filter((name) => /^def-\d+$/.test(name)), []);
    assert.ok(doc.components.schemas.Error);
    for (const { method, path, op } of operations) {
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
        assert.equal(response.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${method} ${path} ${status}`);
      }
    }
  });

  it('declares the media type of the responses that are not JSON', () => {
    const crop = doc.paths['/v1/faces/{id}/crop']!.get!.responses['200']!.content!;
    assert.deepEqual(Object.keys(crop), ['image/jpeg']);
    const page = doc.paths['/v1/dpo/requests/{id}/report.html']!.get!.responses['200']!.content!;
    assert.deepEqual(Object.keys(page), ['text/html']);
  });

  it('says security: [] on exactly the routes that answer without a key', async () => {
    assert.ok(doc.security && doc.security.length > 0, 'a key is required by default');
    const publicOps: string[] = [];
    for (const { method, path, op } of operations) {
      const url = path.replace(/\{[^}]+\}/g, 'x');
      const res = await api.app.inject({ method: method.toUpperCase() as 'GET', url });
      const open = Array.isArray(op.security) && op.security.length === 0;
      if (open) publicOps.push(op.operationId!);
      assert.equal(res.statusCode === 401, !open, `${method.toUpperCase()} ${path} without a key: ${res.statusCode}, documented ${open ? 'public' : 'with a key'}`);
    }
    assert.deepEqual(publicOps.sort(), ['fileSubjectRequest', 'followSubjectRequest', 'getSubjectReportPage', 'getTransparency', 'openSession']);
  });
});
