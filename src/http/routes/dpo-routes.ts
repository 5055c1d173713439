import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { accessReportHtml, REPORT_STYLE } from '../../services/subjects/access-report-html.ts';
import { documentCsp } from '../security-headers.ts';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import { mediaResponse } from '../media-response.ts';
import { AccessReport, ExecutionOutcome, OpenRequests, RecordsOfProcessing, SubjectRequest } from '../rights-schemas.ts';
import { errorResponses } from '../schemas.ts';

const params = Type.Object({ id: Type.String({ maxLength: 100 }) });
const reason = Type.String({ minLength: 1, maxLength: 2000 });
const REPORT_CSP = documentCsp(REPORT_STYLE);

/** The DPO's desk: the queue by due date, verification decisions, reports, execution, Art. 30 records. */
export const dpoRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const rights = services.rights;
  // The desk is the controller's: an access report lists every client's searches.
  const read = { onRequest: permit(services.authoriser, 'report.read') };
  const decide = { onRequest: permit(services.authoriser, 'report.write') };
  const who = (request: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(request);
    return { actor: p.user.id, client: p.client.id };
  };
  const errors = errorResponses(400, 401, 403, 404, 409);

  app.get('/dpo/requests', {
    ...read, schema: { tags: ['dpo'], operationId: 'listOpenSubjectRequests', summary: 'Open subject requests, soonest due first, overdue flagged', response: { 200: OpenRequests, ...errorResponses(401, 403) } },
  }, async () => ({ requests: await rights.requests.open() }));

  app.get('/dpo/requests/:id', { ...read, schema: { tags: ['dpo'], operationId: 'getSubjectRequest', summary: 'One subject request', params, response: { 200: SubjectRequest, ...errors } } },
    async (request) => rights.requests.get(request.params.id));

  app.post('/dpo/requests/:id/approve', {
    ...decide, schema: { tags: ['dpo'], operationId: 'approveSubjectRequest', summary: 'Approve the verification: the galleries are searched for the subject now', params, body: Type.Object({ reason: Type.Optional(reason) }, { additionalProperties: false }), response: { 200: SubjectRequest, ...errors } },
  }, async (request) => rights.requests.approve(request.params.id, who(request), { reason: request.body.reason }));

  app.post('/dpo/requests/:id/reject', {
    ...decide, schema: { tags: ['dpo'], operationId: 'rejectSubjectRequest', summary: 'Reject the request, with the reason', params, body: Type.Object({ reason }, { additionalProperties: false }), response: { 200: SubjectRequest, ...errors } },
  }, async (request) => rights.requests.reject(request.params.id, who(request), request.body.reason));

  app.post('/dpo/requests/:id/extend', {
    ...decide, schema: { tags: ['dpo'], operationId: 'extendSubjectRequest', summary: 'Extend the deadline by 1 or 2 months, with the reason', params, body: Type.Object({ months: Type.Integer({ minimum: 1, maximum: 2 }), reason }, { additionalProperties: false }), response: { 200: SubjectRequest, ...errors } },
  }, async (request) => rights.requests.extend(request.params.id, who(request), request.body.months, request.body.reason));

  app.post('/dpo/requests/:id/exclusions', {
    ...decide, schema: { tags: ['dpo'], operationId: 'excludeFaceFromSubjectRequest', summary: 'Leave out a face that is clearly someone else', params, body: Type.Object({ faceId: Type.String({ maxLength: 100 }), reason }, { additionalProperties: false }), response: { 200: SubjectRequest, ...errors } },
  }, async (request) => rights.requests.exclude(request.params.id, request.body.faceId, who(request), request.body.reason));

  app.post('/dpo/requests/:id/execute', {
    ...decide, schema: { tags: ['dpo'], operationId: 'executeSubjectRequest', summary: 'Carry out an approved request (erasure and objection erase and suppress)', params, response: { 200: ExecutionOutcome, ...errors } },
  }, async (request) => {
    const outcome = await rights.requests.execute(request.params.id, who(request));
    return { request: outcome.request, erased: outcome.erased, suppressed: outcome.suppressed, invisibleAfterMs: outcome.invisibleAfterMs };
  });

  app.get('/dpo/requests/:id/report', {
    ...read, schema: { tags: ['dpo'], operationId: 'getAccessReport', summary: 'The access report as JSON', params, response: { 200: AccessReport, ...errors } },
  }, async (request) => rights.requests.report(request.params.id));

  app.get('/dpo/requests/:id/report.html', {
    ...read, schema: { tags: ['dpo'], operationId: 'getAccessReportPage', summary: 'The access report as a print-ready page', params, response: { 200: mediaResponse('text/html', 'The report as an HTML page'), ...errors } },
  }, async (request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', REPORT_CSP)
    .send(accessReportHtml(await rights.requests.report(request.params.id))));

  app.get('/dpo/records-of-processing', {
    ...read, schema: { tags: ['dpo'], operationId: 'getRecordsOfProcessing', summary: 'Records of processing (GDPR Art. 30)', response: { 200: RecordsOfProcessing, ...errorResponses(401, 403) } },
  }, async () => rights.records.export());
};
