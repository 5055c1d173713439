import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { UiServices } from '../api-services.ts';
import { permit, principalOf, requireRole } from '../auth.ts';
import { mediaResponse } from '../media-response.ts';
import { errorResponses, Face, Source } from '../schemas.ts';

const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const FaceView = Type.Object({
  face: Face,
  image: Type.Object({
    id: Type.String(), sha256: Type.String(),
    path: Type.Union([Type.String(), Type.Null()]), url: Type.Union([Type.String(), Type.Null()]),
    pageUrl: Type.Union([Type.String(), Type.Null()]), width: Type.Integer(), height: Type.Integer(), collectedAt: Type.String(),
  }),
  source: Source,
  cropAvailable: Type.Boolean(),
});

export const faceViewRoutes: FastifyPluginAsyncTypebox<{ services: UiServices }> = async (app, { services }) => {
  app.get('/faces/:id/provenance', {
    onRequest: requireRole('operator', 'dpo'),
    schema: { tags: ['faces'], operationId: 'getFaceProvenance', summary: 'A face with its image and source: where it came from and on what basis', params, response: { 200: FaceView, ...errorResponses(401, 403, 404) } },
  }, async (request) => services.faceViews.view(principalOf(request), request.params.id));

  app.get('/faces/:id/crop', {
    onRequest: requireRole('investigator', 'operator', 'dpo'),
    schema: {
      tags: ['faces'], operationId: 'getFaceCrop',
      summary: 'A JPEG crop of a face, cut on request from its directory source\'s file and never stored',
      description: 'Investigators get faces of galleries granted to their client only; operators and DPOs of the controller any face. Faces that came from uploads have no crop (404). '
        + 'The file must still be the ingested image (else 409) and a regular file inside its source\'s folder (else 422).',
      params,
      response: { 200: mediaResponse('image/jpeg', 'The face, cropped from its image', 'binary'), ...errorResponses(401, 403, 404, 409, 413, 422) },
    },
  }, async (request, reply) => {
    const jpeg = await services.faceViews.crop(principalOf(request), request.params.id);
    return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(jpeg);
  });

  app.get('/galleries/face-counts', {
    onRequest: permit(services.authoriser, 'catalogue.read'),
    schema: {
      tags: ['catalogue'], operationId: 'countFacesByGallery', summary: 'Active faces per gallery',
      response: { 200: Type.Array(Type.Object({ galleryId: Type.String(), faces: Type.Integer() })), ...errorResponses(401, 403) },
    },
  }, async () => services.transparency.facesByGallery());
};
