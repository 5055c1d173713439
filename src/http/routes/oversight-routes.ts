import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LikenessError } from '../../errors.ts';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import { AuditEntry, errorResponses, SearchRecord } from '../schemas.ts';
import { Instant, storedInstant } from '../time-bounds.ts';

const limit = Type.Integer({ minimum: 1, maximum: 500, default: 50 });

export const oversightRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.get('/searches', {
    onRequest: permit(services.authoriser, 'search.read', (who) => ({ clientId: who.client.id })),
    schema: {
      tags: ['oversight'], operationId: 'listSearches', summary: 'The searches made by the people of your client, newest first',
      querystring: Type.Object({
        limit: Type.Optional(limit), before: Type.Optional(Instant('the `at` of the last search of the page before: the next page')),
        beforeId: Type.Optional(Type.String({ maxLength: 100, description: 'with `before`, the id of that last search, so searches made at the same instant are not skipped' })),
        userId: Type.Optional(Type.String({ maxLength: 100, description: 'only this user\'s searches' })),
        caseNumber: Type.Optional(Type.String({ maxLength: 200, description: 'only the searches of this case' })),
        from: Type.Optional(Instant('searches at or after it')), to: Type.Optional(Instant('searches before it')),
      }, { additionalProperties: false }),
      response: { 200: Type.Array(SearchRecord), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    if (q.beforeId !== undefined && q.before === undefined) throw new LikenessError('LIKENESS_BAD_INPUT', 'beforeId pages on only with before, the time of that same search');
    return services.searches.listForClient(principalOf(request).client.id, {
      limit: q.limit ?? 50, before: storedInstant(q.before, 'before'), beforeId: q.beforeId, userId: q.userId, caseNumber: q.caseNumber, from: storedInstant(q.from, 'from'), to: storedInstant(q.to, 'to'),
    });
  });

  app.get('/audit', {
    onRequest: permit(services.authoriser, 'audit.read', (who) => ({ clientId: who.client.id })),
    schema: {
      tags: ['oversight'], operationId: 'listAuditEntries', summary: 'Audit entries about your client, newest first',
      querystring: Type.Object({
        limit: Type.Optional(limit), action: Type.Optional(Type.String({ maxLength: 100 })),
        actor: Type.Optional(Type.String({ maxLength: 100, description: 'only the entries of this user id' })),
        from: Type.Optional(Instant('entries at or after it')), to: Type.Optional(Instant('entries before it')),
        beforeSeq: Type.Optional(Type.Integer({ minimum: 1, description: 'entries before this sequence number: the next page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Array(AuditEntry), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    return services.audit.list({
      client: principalOf(request).client.id, action: q.action, actor: q.actor, from: storedInstant(q.from, 'from'), to: storedInstant(q.to, 'to'),
      limit: q.limit ?? 50, beforeSeq: q.beforeSeq,
    });
  });

  app.get('/audit/verify', {
    onRequest: permit(services.authoriser, 'audit.verify'),
    schema: {
      tags: ['oversight'], operationId: 'verifyAuditChain', summary: 'Check the whole audit hash chain',
      response: {
        200: Type.Object({
          intact: Type.Boolean(), entries: Type.Integer(),
          lastHash: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          firstBroken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
        }),
        ...errorResponses(401, 403),
      },
    },
  }, async () => services.audit.verify());

  app.get('/me', {
    schema: {
      tags: ['oversight'], operationId: 'whoAmI', summary: 'Who your key or session says you are',
      response: {
        200: Type.Object({
          user: Type.Object({ id: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) }),
          client: Type.Object({ id: Type.String(), name: Type.String(), type: Type.String(), jurisdiction: Type.String() }),
          keyPrefix: Type.Optional(Type.String({ description: 'the API key\'s prefix; absent for a person\'s session' })),
        }),
        ...errorResponses(401),
      },
    },
  }, async (request) => principalOf(request));
};
