import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiServices } from '../api-services.ts';
import { principalOf, requireRole } from '../auth.ts';
import { errorResponses } from '../schemas.ts';

const Person = Type.Object({ id: Type.String(), name: Type.String() });
const Review = Type.Object({
  id: Type.String(), searchId: Type.String(), faceId: Type.String(), userId: Type.String(),
  disposition: Type.String(), reason: Type.String(), at: Type.String(),
});
const Provenance = Type.Object({
  source: Type.String(),
  imageUrl: Type.Union([Type.String(), Type.Null()]),
  pageUrl: Type.Union([Type.String(), Type.Null()]),
  path: Type.Union([Type.String(), Type.Null()]),
  collectedAt: Type.String(),
});
const ReviewBy = Type.Intersect([Review, Type.Object({ user: Person })]);

const CaseFile = Type.Object({
  caseNumber: Type.String(),
  clientId: Type.Union([Type.String(), Type.Null()]),
  searches: Type.Array(Type.Object({
    id: Type.String(), at: Type.String(), user: Person, purpose: Type.String(), galleries: Type.Array(Type.String()),
    probeSha256: Type.String(), threshold: Type.Number(),
    candidates: Type.Array(Type.Object({
      faceId: Type.String(), score: Type.Number(), falseMatchRate: Type.Number(), falseMatchRateIsUpperBound: Type.Boolean(),
      provenance: Type.Union([Provenance, Type.Null()]), review: Type.Union([ReviewBy, Type.Null()]),
    })),
    reviews: Type.Array(ReviewBy),
  })),
  watches: Type.Array(Type.Object({
    id: Type.String(), status: Type.String(), expired: Type.Boolean(), user: Person, approvedByUser: Type.Union([Person, Type.Null()]),
    purpose: Type.String(), createdAt: Type.String(), expiresAt: Type.String(), approvedAt: Type.Union([Type.String(), Type.Null()]),
    probeSha256: Type.Array(Type.String()), threshold: Type.Number(), webhookUrl: Type.Union([Type.String(), Type.Null()]),
    hits: Type.Array(Type.Object({
      id: Type.String(), faceId: Type.String(), score: Type.Number(), falseMatchRate: Type.Number(), provenance: Provenance, at: Type.String(),
    })),
  })),
});

const searchParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const caseParams = Type.Object({ caseNumber: Type.String({ minLength: 1, maxLength: 100 }) });

/** Lead reviews and the case file (docs/architecture.md, "Case work"). */
export const caseRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.post('/searches/:id/reviews', {
    onRequest: requireRole('investigator', 'supervisor'),
    schema: {
      tags: ['cases'], operationId: 'reviewSearchCandidate', summary: 'Record what a reviewer made of one candidate of a search, with a reason; audited',
      params: searchParams,
      body: Type.Object({
        faceId: Type.String({ minLength: 1, maxLength: 100 }),
        disposition: Type.Union([Type.Literal('likely-match'), Type.Literal('not-a-match'), Type.Literal('inconclusive')]),
        reason: Type.String({ minLength: 1, maxLength: 2000 }),
      }, { additionalProperties: false }),
      response: { 201: Review, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.status(201).send(await services.reviews.review(principalOf(request), request.params.id, request.body)));

  app.get('/searches/:id/reviews', {
    onRequest: requireRole('investigator', 'supervisor'),
    schema: {
      tags: ['cases'], operationId: 'listSearchReviews', summary: 'The reviews of a search, oldest first: a later review of a candidate supersedes an earlier',
      params: searchParams, response: { 200: Type.Array(Review), ...errorResponses(401, 403, 404) },
    },
  }, async (request) => services.reviews.list(principalOf(request), request.params.id));

  app.get('/cases/:caseNumber', {
    onRequest: requireRole('investigator', 'supervisor', 'auditor'),
    schema: {
      tags: ['cases'], operationId: 'getCaseFile', summary: 'Everything done under a case number in your client: searches, reviews, watches and their hits',
      description: 'Investigators see their own searches and watches; supervisors and auditors their client\'s.',
      params: caseParams, response: { 200: CaseFile, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => services.caseFiles.read(principalOf(request), request.params.caseNumber));

  app.get('/cases/:caseNumber/export', {
    onRequest: requireRole('investigator', 'supervisor', 'auditor'),
    schema: {
      tags: ['cases'], operationId: 'exportCaseFile', summary: 'The case file as a PDF or HTML document, ending with the audit chain\'s head hash; the export is audited',
      params: caseParams,
      querystring: Type.Object({ format: Type.Union([Type.Literal('pdf'), Type.Literal('html')]) }, { additionalProperties: false }),
      response: {
        200: {
          description: 'The case file as a document',
          content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'text/html': { schema: { type: 'string' } } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (request, reply) => {
    const exported = await services.caseExports.export(principalOf(request), request.params.caseNumber, request.query.format);
    const name = `case-${request.params.caseNumber.replace(/[^\w.-]/g, '_')}.${request.query.format}`;
    return reply.header('content-type', exported.contentType).header('content-disposition', `attachment; filename="${name}"`)
      .header('x-content-sha256', exported.sha256).send(exported.bytes);
  });
};
