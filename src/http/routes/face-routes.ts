import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiServices } from '../api-services.ts';
import { principalOf, requireRole } from '../auth.ts';
import { errorResponses, Face } from '../schemas.ts';

export const faceRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  const operator = { onRequest: requireRole('operator') };
  const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

  app.get('/faces/:id', {
    ...operator,
    schema: { tags: ['faces'], operationId: 'getFace', summary: 'A face: box, quality, model, expiry', params, response: { 200: Face, ...errorResponses(401, 403, 404) } },
  }, async (request) => services.faces.get(principalOf(request), request.params.id));

  app.delete('/faces/:id', {
    ...operator,
    schema: {
      tags: ['faces'], operationId: 'deleteFace', summary: 'Delete a face: out of search before the answer, off disk at the next compaction',
      params, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
    },
  }, async (request, reply) => {
    await services.faces.delete(principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });
};
