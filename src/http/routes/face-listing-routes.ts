import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiServices } from '../api-services.ts';
import { permit } from '../auth.ts';
import { errorResponses } from '../schemas.ts';

const Url = Type.String({ minLength: 1, maxLength: 4096 });

export const ListedFace = Type.Object({
  id: Type.String(),
  imageId: Type.String(),
  galleryId: Type.String(),
  source: Type.String(),
  image: Type.Object({
    sha256: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    pageUrl: Type.Union([Type.String(), Type.Null()]),
    path: Type.Union([Type.String(), Type.Null()]),
    collectedAt: Type.String(),
  }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});

/** Faces by where they were collected, for takedown requests that name a page or an image. */
export const faceListingRoutes: FastifyPluginAsyncTypebox<{ services: ApiServices }> = async (app, { services }) => {
  app.get('/faces', {
    // Faces of every gallery: the controller's operator and DPO only (docs/architecture.md, "Authorisation").
    onRequest: permit(services.authoriser, 'face.read'),
    schema: {
      tags: ['faces'], operationId: 'listFaces', summary: 'Faces collected from a source, a page or an image URL, page by page (no image, no embedding)',
      querystring: Type.Object({
        source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        pageUrl: Type.Optional(Url),
        imageUrl: Type.Optional(Url),
        cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ faces: Type.Array(ListedFace), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const { source, pageUrl, imageUrl, cursor, limit } = request.query;
    return services.facesByOrigin.list({ source, pageUrl, imageUrl }, { cursor, limit });
  });
};
