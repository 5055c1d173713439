import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { UiServices } from '../api-services.ts';
import { principalOf, requireRole } from '../auth.ts';
import { readMultipart, singleFile } from '../multipart-form.ts';
import { Box, errorResponses } from '../schemas.ts';
import { file, multipartBody } from './multipart-schema.ts';

const Detection = Type.Object({
  width: Type.Integer(),
  height: Type.Integer(),
  faces: Type.Array(Type.Object({
    faceIndex: Type.Integer({ description: 'pass it to /v1/search as faceIndex' }),
    box: Box,
    detectionScore: Type.Number(),
  })),
});

export const detectRoutes: FastifyPluginAsyncTypebox<{ services: UiServices }> = async (app, { services }) => {
  app.post('/detect', {
    onRequest: requireRole('investigator'),
    schema: {
      tags: ['search'], operationId: 'detectFaces',
      summary: 'Find the faces of an image, largest first, without searching or storing it',
      description: 'For choosing which face to search with. Needs a client granted a gallery; counted against the rate limits and quotas '
        + 'like searches (apart from them). Audited as a detection with the image\'s SHA-256; the image is not kept.',
      consumes: ['multipart/form-data'],
      body: multipartBody({ image: file('the probe image') }, ['image']),
      response: { 200: Detection, ...errorResponses(400, 401, 403, 413, 415, 422, 429) },
    },
  }, async (request) => {
    const form = await readMultipart(request);
    return services.detections.detect(principalOf(request), singleFile(form, 'image').bytes);
  });
};
