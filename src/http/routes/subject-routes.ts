import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LikenessError } from '../../errors.ts';
import { accessReportHtml } from '../../services/subjects/access-report-html.ts';
import type { AddressRateLimiter } from '../address-rate-limit.ts';
import type { ApiServices } from '../api-services.ts';
import { readMultipart, singleFile } from '../multipart-form.ts';
import { subjectRequestLimit } from '../public-rate-limit.ts';
import { RequestStatus } from '../rights-schemas.ts';
import { mediaResponse } from '../media-response.ts';
import { errorResponses } from '../schemas.ts';
import { file, multipartBody, text } from './multipart-schema.ts';

const Receipt = Type.Object({
  requestId: Type.String(),
  status: Type.Literal('received'),
  receivedAt: Type.String(),
  dueAt: Type.String(),
  accessToken: Type.String({ description: 'Keep it: it is the only way to follow the request and receive the report' }),
});

/** The data subject's door: no account, and nothing about the galleries before a DPO approves. */
export const subjectRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices; followLimit: AddressRateLimiter }> = async (app, { services, followLimit }) => {
  const rights = services.rights;
  // Following takes no key, so guesses of ids and codes are counted per address instead.
  const follow = followLimit.hook();
  const followParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
  const followHeaders = Type.Object({ 'x-request-token': Type.String({ minLength: 10, maxLength: 200 }) });

  app.post('/subject-requests', {
    config: subjectRequestLimit,
    schema: {
      tags: ['subjects'], operationId: 'fileSubjectRequest', security: [], summary: 'Ask what likeness holds on you, ask for erasure, or object',
      description: 'A selfie (checked for liveness), a contact address and optionally a photo of an identity document. '
        + 'The answer is only a receipt with the due date; nothing is searched before the request is verified and approved.',
      consumes: ['multipart/form-data'],
      body: multipartBody({
        kind: text('access, erasure or objection', 20), contact: text('e-mail address for the answer', 320),
        selfie: file('a photo of your face, taken now'), document: file('optional: a photo of an identity document'),
      }, ['kind', 'contact', 'selfie']),
      response: { 202: Receipt, ...errorResponses(400, 413, 415, 422, 429) },
    },
  }, async (request, reply) => {
    // At most one document: the reader refuses a second as soon as it begins.
    const form = await readMultipart(request);
    const documents = form.files.get('document') ?? [];
    const receipt = await rights.intake.file({
      kind: form.fields.get('kind') ?? '', contact: form.fields.get('contact') ?? '',
      selfie: singleFile(form, 'selfie').bytes, document: documents[0]?.bytes, actor: 'anonymous',
    });
    return reply.status(202).send(receipt);
  });

  app.get('/subject-requests/:id', {
    onRequest: follow,
    schema: {
      tags: ['subjects'], operationId: 'followSubjectRequest', security: [], summary: 'Follow your request; once an access request is approved, your report',
      description: 'A wrong id and a wrong access code get the same 404. Rate-limited per address (429 with Retry-After).',
      params: followParams,
      headers: followHeaders,
      response: { 200: RequestStatus, ...errorResponses(400, 404, 429) },
    },
  }, async (request) => rights.requests.status(request.params.id, request.headers['x-request-token']));

  app.get('/subject-requests/:id/report.html', {
    onRequest: follow,
    schema: {
      tags: ['subjects'], operationId: 'getSubjectReportPage', security: [], summary: 'Your access report as a page to keep or print, once the request is approved',
      description: 'Sent as a download. A wrong id and a wrong access code get the same 404; 409 until the report exists.',
      params: followParams,
      headers: followHeaders,
      response: { 200: mediaResponse('text/html', 'The access report as a page'), ...errorResponses(400, 404, 409, 429) },
    },
  }, async (request, reply) => {
    const { report } = await rights.requests.status(request.params.id, request.headers['x-request-token']);
    if (!report) throw new LikenessError('LIKENESS_CONFLICT', 'There is a report only for an access request, once it is approved');
    return reply.type('text/html; charset=utf-8')
      .header('content-disposition', `attachment; filename="likeness-access-report-${report.requestId}.html"`)
      .send(accessReportHtml(report));
  });
};
