import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import { errorResponses, Source } from '../schemas.ts';

const Name = Type.Object({ source: Type.String({ minLength: 1, maxLength: 200 }) });

const SourceChanges = Type.Object({
  legalBasis: Type.Optional(Type.String()),
  retentionDays: Type.Optional(Type.Integer()),
  jurisdictions: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 50 })),
  specialCategoryCondition: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  controller: Type.Optional(Type.Union([Type.String(), Type.Null()])),
}, { additionalProperties: false });

/** A declared source's lifecycle for operators: amend, pause, resume, retire (with erasure). */
export const sourceRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const operator = { onRequest: permit(services.authoriser, 'catalogue.write') };
  const actor = (request: Parameters<typeof principalOf>[0]) => {
    const who = principalOf(request);
    return { actor: who.user.id, client: who.client.id };
  };

  app.patch('/sources/:source', {
    ...operator,
    schema: {
      tags: ['catalogue'], operationId: 'updateSource', summary: 'Amend a source declaration (checked against the policy, audited)',
      params: Name, body: SourceChanges,
      response: { 200: Source, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => services.sources.update(actor(request), request.params.source, request.body));

  app.post('/sources/:source/pause', {
    ...operator,
    schema: { tags: ['catalogue'], operationId: 'pauseSource', summary: 'Pause a source: it takes no images until resumed', params: Name, response: { 200: Source, ...errorResponses(401, 403, 404, 409) } },
  }, async (request) => services.sources.pause(actor(request), request.params.source));

  app.post('/sources/:source/resume', {
    ...operator,
    schema: { tags: ['catalogue'], operationId: 'resumeSource', summary: 'Resume a paused source, if the policy still allows it', params: Name, response: { 200: Source, ...errorResponses(401, 403, 404, 409) } },
  }, async (request) => services.sources.resume(actor(request), request.params.source));

  app.post('/sources/:source/retire', {
    ...operator,
    schema: {
      tags: ['catalogue'], operationId: 'retireSource', summary: 'Retire a source for good; with erase=true its faces leave search at once',
      params: Name,
      querystring: Type.Object({ erase: Type.Boolean({ default: false }) }),
      response: { 200: Type.Object({ source: Source, erased: Type.Integer() }), ...errorResponses(401, 403, 404) },
    },
  }, async (request) => services.sources.retire(actor(request), request.params.source, { erase: request.query.erase }));
};
