import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LikenessError } from '../../errors.ts';
import type { ApiServices } from '../api-services.ts';
import { principalOf, requireRole } from '../auth.ts';
import { numberField, readMultipart } from '../multipart-form.ts';
import { errorResponses } from '../schemas.ts';
import { file, multipartBody, text } from './multipart-schema.ts';

/** Standing searches (docs/architecture.md, "Case work"). */
export const watchRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.post('/watches', {
    onRequest: requireRole('investigator'),
    schema: {
      tags: ['cases'],
      operationId: 'fileWatch', summary: 'File a standing search for a case: inactive until a supervisor of your client approves it',
      description: 'Every face ingested while it is active is compared with the faces of its images; a hit is recorded in the case, audited, '
        + 'and POSTed to webhookUrl signed with the returned secret (X-Likeness-Signature: sha256=<hex HMAC-SHA256 of the body>). '
        + 'The images are kept as their SHA-256 and face templates only.',
      consumes: ['multipart/form-data'],
      body: multipartBody({
        image: file('a photo of the person, one or more times'),
        caseNumber: text('the case this watch serves'),
        purpose: text('why it is filed'),
        expiresInDays: { type: 'integer', minimum: 1, description: 'days until it ends, at most the policy\'s watches.maxDays' },
        webhookUrl: text('where hits are POSTed (optional)'),
      }, ['image', 'caseNumber', 'purpose', 'expiresInDays']),
      response: {
        201: Type.Object({ id: Type.String(), status: Type.Literal('pending-approval'), secret: Type.String(), expiresAt: Type.String() }),
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    },
  }, async (request, reply) => {
    const form = await readMultipart(request);
    const images = form.files.get('image') ?? [];
    if (images.length === 0) throw new LikenessError('LIKENESS_BAD_INPUT', 'Send one or more image files in the field "image"');
    const unknown = [...form.files.keys(), ...form.fields.keys()].filter((k) => !['image', 'caseNumber', 'purpose', 'expiresInDays', 'webhookUrl'].includes(k));
    if (unknown.length > 0) throw new LikenessError('LIKENESS_BAD_INPUT', `Unknown field ${unknown[0]!.slice(0, 50)}`);
    const filed = await services.watches.file(principalOf(request), images.map((i) => i.bytes), {
      caseNumber: form.fields.get('caseNumber'),
      purpose: form.fields.get('purpose'),
      expiresInDays: numberField(form, 'expiresInDays', (n) => Number.isInteger(n) && n >= 1, 'a whole number of days, 1 or more'),
      webhookUrl: form.fields.get('webhookUrl'),
    });
    return reply.status(201).send(filed);
  });

  app.post('/watches/:id/approve', {
    onRequest: requireRole('supervisor'),
    schema: {
      tags: ['cases'], operationId: 'approveWatch', summary: 'Approve a watch of your client that someone else filed: it is active from now until its date',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: {
        200: Type.Object({ id: Type.String(), status: Type.String(), caseNumber: Type.String(), expiresAt: Type.String(), approvedAt: Type.Union([Type.String(), Type.Null()]) }),
        ...errorResponses(401, 403, 404, 409),
      },
    },
  }, async (request) => services.watches.approve(principalOf(request), request.params.id));
};
