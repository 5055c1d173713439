import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiServices } from '../api-services.ts';
import { permit, principalOf } from '../auth.ts';
import { DeclareSource, errorResponses, Gallery, Source } from '../schemas.ts';

const denied = errorResponses(401, 403);

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const read = { onRequest: permit(services.authoriser, 'catalogue.read') };
  const write = { onRequest: permit(services.authoriser, 'catalogue.write') };

  app.get('/galleries', {
    ...read,
    schema: { tags: ['catalogue'], operationId: 'listGalleries', summary: 'List galleries', response: { 200: Type.Array(Gallery), ...denied } },
  }, async () => services.catalogueAdmin.listGalleries());

  app.post('/galleries', {
    ...write,
    schema: {
      tags: ['catalogue'], operationId: 'createGallery', summary: 'Create a gallery',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 201: Gallery, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await services.catalogueAdmin.createGallery(principalOf(request), request.body.name)));

  app.get('/sources', {
    ...read,
    schema: { tags: ['catalogue'], operationId: 'listSources', summary: 'List declared sources', response: { 200: Type.Array(Source), ...denied } },
  }, async () => services.catalogueAdmin.listSources());

  app.post('/sources', {
    ...write,
    schema: {
      tags: ['catalogue'], operationId: 'declareSource', summary: 'Declare a source: the only way images enter likeness',
      body: DeclareSource,
      response: { 201: Source, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await services.catalogueAdmin.declareSource(principalOf(request), request.body)));
};
